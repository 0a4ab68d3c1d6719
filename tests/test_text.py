"""The readable metrics table of `repairtrack metrics`: the research references appear only when the
window holds at least 10 bids, and the proxy caveat always; every line fits 80 columns, long names cut."""

from __future__ import annotations

from datetime import UTC, datetime

from repairtrack.cli.text import cut, metrics_table, width
from tests.support.entries import bid, conflict, promise, registered
from tests.support.stores import temporary_store


def table_with(bids: int) -> str:
    entries = [registered(), *(bid(f"b{i}", hours=i) for i in range(bids))]
    with temporary_store(entries) as store, store.read_model.open() as view:
        return metrics_table(view.metrics("ana-ben", as_of=datetime(2026, 3, 5, tzinfo=UTC)))


def test_the_references_need_ten_bids_in_the_window() -> None:
    few, enough = table_with(9), table_with(10)
    assert "86%" not in few and "5 positive moments to 1 negative" not in few
    assert "86%" in enough and "33%" in enough and "trained observers" in enough
    for text in (few, enough):
        assert "proxies from what you logged" in text
        assert "Repair acceptance" in text and "ana" in text and "ben" in text


LONG_COUPLE = "a-couple-handle-of-forty-characters-long"
LONG_NAMES = {
    "ana": "Anastasia Konstantinopoulou-Wolkenstein von Hohenberg",
    "ben": "王美玲王美玲王美玲王美玲王美玲",
}


def long_table() -> str:
    partners = [{"handle": h, "name": n} for h, n in LONG_NAMES.items()]
    topic = "家事の分担と週末の予定についての話し合い" * 2  # 40 wide characters, 80 cells, no space
    entries = [
        registered(LONG_COUPLE, partners=partners),
        *(bid(f"b{i}", hours=i, couple=LONG_COUPLE) for i in range(12)),
        *(
            conflict(f"c{i}", hours=i, couple=LONG_COUPLE, topic=topic, horsemen=[], intensity=2)
            for i in range(3)
        ),
        *(promise(f"p{i}", hours=i, due=30, couple=LONG_COUPLE) for i in range(3)),
    ]
    with temporary_store(entries) as store, store.read_model.open() as view:
        metrics = view.metrics(LONG_COUPLE, as_of=datetime(2026, 3, 5, tzinfo=UTC))
    return metrics_table(metrics, LONG_NAMES, "Pacific/Chatham")


def test_every_line_of_the_table_fits_80_columns_with_long_handles_names_and_topics() -> None:
    text = long_table()
    lines = text.splitlines()
    too_wide = [line for line in lines if width(line) > 80]
    assert not too_wide, too_wide
    assert LONG_COUPLE in text  # the handle is never cut
    assert "家事の分担" in text  # the topic is wrapped, not dropped
    assert "86%" in text


def test_long_partner_names_are_cut_with_an_ellipsis_in_the_table_only() -> None:
    text = long_table()
    assert LONG_NAMES["ana"] not in text and LONG_NAMES["ben"] not in text
    assert "  Anastasia Konstan…" in text
    assert "  王美玲王美玲王美…" in text


def test_the_table_reads_as_of_in_the_couples_zone_with_its_offset() -> None:
    assert "as of 2026-03-05 13:45 (+13:45)" in long_table()


def test_widths_count_wide_characters_twice_and_combining_marks_not_at_all() -> None:
    assert width("abc") == 3
    assert width("王美玲") == 6
    assert width("e\u0301") == 1
    assert cut("王美玲王美玲", 7) == "王美玲…"
    assert width(cut("王美玲王美玲", 7)) == 7
    assert cut("short", 10) == "short"
