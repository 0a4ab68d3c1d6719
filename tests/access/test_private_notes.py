"""Property: over random streams of entries with notes, shared or private, by either partner, a private
note reaches nobody but its author through `entries()` in accounts mode (and a counselor never, whatever
the grant); the bundle never holds one."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from repairtrack.services.actors import Actor
from repairtrack.services.export import ExportOptions
from tests.access.support import ANA, BEN, COUPLE, LEE, access_store
from tests.conftest import Clock
from tests.support.entries import appreciation, bid, check_in, conflict, offer

MAKERS = {
    "appreciation": appreciation,
    "bid": bid,
    "check_in": check_in,
    "conflict": conflict,
    "offer": offer,
}

notes = st.lists(
    st.tuples(
        st.sampled_from(sorted(MAKERS)),
        st.sampled_from(["ana", "ben"]),
        st.booleans(),  # private
        st.sampled_from(["logged_by", "by"]),  # how the author is named
    ),
    min_size=1,
    max_size=12,
)


def stream(items: list[tuple[str, str, bool, str]]) -> list[dict[str, Any]]:
    made = []
    for number, (kind, author, private, naming) in enumerate(items):
        extra: dict[str, Any] = {"note": f"note-{number}-{author}", "private": private}
        if naming == "logged_by":
            extra["logged_by"] = author
        made.append(MAKERS[kind](f"n{number}", 10 + number, by=author, **extra))
    return made


def readable(actor: Actor, rows: list[dict[str, Any]]) -> set[str]:
    return {str(r["note"]) for r in rows if r.get("note", "").startswith("note-")}


@settings(max_examples=15)
@given(items=notes, notes_granted=st.booleans())
def test_a_private_note_reaches_only_its_author(
    items: list[tuple[str, str, bool, str]], notes_granted: bool
) -> None:
    entries = stream(items)
    private = {e["note"]: e.get("logged_by") or e["by"] for e in entries if e["private"]}
    shared = {e["note"] for e in entries if not e["private"]}
    with tempfile.TemporaryDirectory() as folder, access_store(Path(folder), Clock()) as (couples, services):
        services.app.record_batch(entries)
        couples.grant(ANA, COUPLE, "drlee", notes=notes_granted)
        for actor in (ANA, BEN):
            seen = readable(actor, couples.entries(actor, COUPLE))
            assert seen == shared | {n for n, author in private.items() if author == actor.partner}
        counselor = couples.entries(LEE, COUPLE)
        assert readable(LEE, counselor) == (shared if notes_granted else set())
        assert not any(r.get("private") for r in counselor)
        for rows in (couples.entries(ANA, COUPLE), couples.entries(BEN, COUPLE)):
            assert all("private" not in r for r in rows if "note" not in r)


def test_the_bundle_never_holds_a_private_note(tmp_path: Path) -> None:
    entries = stream(
        [
            ("appreciation", "ana", True, "by"),
            ("bid", "ben", True, "logged_by"),
            ("offer", "ana", False, "by"),
        ]
    )
    with access_store(tmp_path, Clock()) as (couples, services):
        services.app.record_batch(entries)
        couples.grant(BEN, COUPLE, "drlee", notes=True)
        for actor in (ANA, BEN, LEE):
            bundle = couples.export(actor, COUPLE, ExportOptions(couple=COUPLE, include_notes=True))
            with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as archive:
                text = b"".join(
                    archive.read(name) for name in archive.namelist() if not name.endswith(("pdf", "parquet"))
                )
            assert b"note-0-ana" not in text and b"note-1-ben" not in text, actor
            assert b"note-2-ana" in text, actor  # the shared note, asked for and granted
