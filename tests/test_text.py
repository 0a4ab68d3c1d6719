"""The readable metrics table of `repairtrack metrics`: the research references appear only when the
window holds at least 10 bids, and the proxy caveat always."""

from __future__ import annotations

from datetime import UTC, datetime

from repairtrack.cli.text import metrics_table
from tests.support.entries import bid, registered
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
