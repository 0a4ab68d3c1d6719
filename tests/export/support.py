"""Helpers for the export tests: a bundle made from entries in a real temporary store, and the metrics
of its `events.jsonl` imported again into an empty one."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from repairtrack.services.export import Bundle, ExportOptions, build_bundle
from tests.support.stores import LATE, temporary_store

# A copy of SPEC's example (couple `ana-ben`, Europe/Berlin, private notes and retractions), so the
# tests run on a clean clone.
EXAMPLE = Path(__file__).parents[1] / "fixtures" / "two-months.jsonl"


def example_entries() -> list[dict[str, Any]]:
    return lines(EXAMPLE.read_bytes())


def make_bundle(
    entries: list[dict[str, Any]], couple: str, *, now: datetime = LATE, **options: Any
) -> Bundle:
    with temporary_store(entries) as built:
        return build_bundle(built, ExportOptions(couple=couple, **options), now=now)


def lines(data: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def reimported_metrics(bundle: Bundle) -> dict[str, Any]:
    """Import the bundle's events.jsonl into an empty store; its metrics as of the bundle's T."""
    with temporary_store(lines(bundle.files["events.jsonl"])) as built, built.read_model.open() as view:
        metrics = view.metrics(
            bundle.couple, as_of=bundle.period.as_of, window_days=bundle.options.window_days
        )
    result: dict[str, Any] = orjson.loads(orjson.dumps(metrics))
    return result


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def every_text(bundle_files: dict[str, bytes]) -> dict[str, str]:
    """What a person (or a program) can read out of each file, as text: the text files as they are, the
    PDF's page text and metadata, the Parquet file's column names, values and metadata."""
    import pyarrow.parquet as pq
    from pypdf import PdfReader

    found: dict[str, str] = {}
    for name, data in bundle_files.items():
        if name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(data))
            meta = " ".join(str(v) for v in (reader.metadata or {}).values())
            found[name] = "\n".join(pdf_text(data)) + "\n" + meta
        elif name.endswith(".parquet"):
            table = pq.read_table(io.BytesIO(data))
            meta = " ".join(f"{k!r} {v!r}" for k, v in (table.schema.metadata or {}).items())
            values = " ".join(str(v) for column in table.columns for v in column.to_pylist())
            found[name] = " ".join(table.column_names) + " " + values + " " + meta
        else:
            found[name] = data.decode()
    return found


def whole_words(text: str, words: Iterable[str]) -> list[str]:
    """The words found in `text` as whole words, case-insensitively."""
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


def aware(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@functools.cache
def demo_bundle() -> Bundle:
    """The bundle of the demo couple (120 days up to 1 June 2026, notes included), made once per test
    run: the layout tests of the PDF and of report.html share it."""
    from repairtrack.services.demo import generate

    entries = generate(until=date(2026, 6, 1))
    return make_bundle(
        entries, "demo", now=datetime(2026, 6, 2, tzinfo=UTC), include_notes=True, window_days=28
    )
