"""One piece of guidance, run alone: title, summary, why it was chosen (for a suggestion), and the whole
text with its sources behind "Read more". The words are the library's own (content/guidance), checked when
it is loaded; the reason's one kind of typed text, a conflict topic, is escaped before it is filled in
(projections.presenting.with_topics_escaped), which tests/dashboard/test_hostile_text.py covers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboard.components.rendering import block_keys

TIMEOUT = 30
PIECE = "active-listening"


def piece_app(piece_id: str, reason: str | None, keys: list[str], expanded: bool) -> None:
    from dataclasses import fields

    from content.library import Suggestion
    from dashboard.components import guidance_piece
    from dashboard.store import library

    piece = library().get(piece_id)
    for key in keys:
        if reason is None:
            guidance_piece.show(piece, key=key, expanded=expanded)
        else:
            # The piece as a suggestion with this reason: its own values for every other field.
            same = {f.name: getattr(piece, f.name) for f in fields(Suggestion)}
            suggestion = Suggestion(**(same | {"reason": reason, "always": False}))
            guidance_piece.show(suggestion, key=key, expanded=expanded)


def run(reason: str | None = None, keys: tuple[str, ...] = ("k",), *, expanded: bool = False) -> AppTest:
    at = AppTest.from_function(
        piece_app, args=(PIECE, reason, list(keys), expanded), default_timeout=TIMEOUT
    ).run()
    assert not at.exception, at.exception
    return at


def test_a_piece_shows_its_title_summary_and_text_with_sources() -> None:
    from dashboard.store import library

    piece = library().get(PIECE)
    at = run()
    assert [m.value for m in at.markdown] == [f"**{piece.title}**", piece.summary, piece.body]
    assert [c.value for c in at.caption] == ["Sources: " + "; ".join(piece.sources)]
    [more] = at.expander
    assert more.label == "Read more"
    assert more.proto.expanded is False


def test_a_suggestion_says_why_it_was_chosen() -> None:
    at = run("Three bids went unanswered this week.")
    assert at.caption[0].value == "Why this now: Three bids went unanswered this week."


def test_expanded_opens_the_whole_text() -> None:
    [more] = run(expanded=True).expander
    assert more.proto.expanded is True


def test_two_pieces_with_their_own_keys_stand_side_by_side() -> None:
    at = run(keys=("k1", "k2"))
    assert len(at.expander) == 2
    assert block_keys(at) == ["k1", "k2"]
