"""The documents made from the code stay in step with it: `docs/rules.md`, `docs/format.md` and
`docs/metrics.md` are exactly what `python -m repairtrack.docs` writes, the metrics page names every key
of the metrics object and of a weekly row, and the README points to these pages instead of the spec."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.entries import FIELDS
from domain.vocabulary import ENTRY_TYPES
from projections.schema import METRICS_SCHEMA
from repairtrack.docs import DOCS, OUTPUTS, rules_markdown, schema_keys
from tests.support.stores import temporary_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "two-months.jsonl"


def test_the_rules_document_is_in_step_with_the_code() -> None:
    assert (DOCS / "rules.md").read_text() == rules_markdown(), "run `python -m repairtrack.docs`"


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_each_generated_document_is_what_the_code_writes(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == OUTPUTS[name](), "run `python -m repairtrack.docs`"


def test_the_format_page_has_a_section_and_every_field_of_each_entry_type() -> None:
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    for entry_type in ENTRY_TYPES:
        assert f"### {entry_type}" in text or f" {entry_type}" in text, entry_type
        for field in FIELDS[entry_type]:
            assert f"| `{field}` |" in text, (entry_type, field)


def test_the_metrics_page_names_every_key_of_the_metrics_object() -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    for key in METRICS_SCHEMA:
        assert f"`{key}`" in text, key
    for section, node in METRICS_SCHEMA.items():
        if isinstance(node, dict):
            for path, _ in schema_keys(node):
                assert f"`{section}.{path}`" in text, f"{section}.{path}"


def test_the_metrics_page_names_every_key_of_a_weekly_row() -> None:
    entries = [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]
    with temporary_store(entries) as store, store.read_model.open() as view:
        weekly = view.metrics("ana-ben", as_of=datetime(2026, 5, 1, tzinfo=UTC))["weekly"]
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    row = weekly[0]
    assert row.keys() >= {"week_start", "by_partner", "trust_consistency"}
    for key in row:
        assert f"`{key}`" in text, key
    for key in next(iter(row["by_partner"].values())):
        assert f"`{key}`" in text.split("`by_partner` | for each partner")[1].splitlines()[0], key


def test_the_metrics_page_carries_each_reference_point_with_its_source() -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    for figure in ("86%", "33%", "5 : 1", "13.5", "14-day half-life"):
        assert figure in text, figure
    for source in ("Gottman's study of newlyweds", "Funk & Rogge (2007)", "This app's own design"):
        assert source in text, source


def test_the_readme_links_the_format_and_metrics_pages_instead_of_spec_sections() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "SPEC section 3" not in readme and "SPEC section 4" not in readme
    assert "(docs/format.md)" in readme and "(docs/metrics.md)" in readme
