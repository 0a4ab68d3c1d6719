"""The safety note, run alone: one click away in a popover, its words from the guidance library."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.components.safety import SAFETY_ID
from dashboard.store import library
from tests.dashboard.components.rendering import block_keys

TIMEOUT = 30


def safety_app(keys: list[str]) -> None:
    from dashboard.components import safety

    for key in keys:
        safety.show(key=key)


def run(*keys: str) -> AppTest:
    at = AppTest.from_function(safety_app, args=(list(keys),), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def test_the_note_holds_the_library_piece_and_its_sources() -> None:
    piece = library().get(SAFETY_ID)
    at = run("k")
    [popover] = at.get("popover")
    assert popover.proto.popover.label == "Safety first"
    assert popover.proto.id.endswith("-k:safety")
    assert [m.value for m in at.markdown] == [f"**{piece.title}**", piece.summary, piece.body]
    assert [c.value for c in at.caption] == ["Sources: " + "; ".join(piece.sources)]
    assert piece.title == "Safety comes before repair"


def test_two_notes_with_their_own_keys_stand_side_by_side() -> None:
    at = run("k1", "k2")
    assert block_keys(at) == ["k1:safety", "k2:safety"]
    assert [m.value for m in at.markdown].count("**Safety comes before repair**") == 2
