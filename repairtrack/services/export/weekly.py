"""`weekly.csv` and `weekly.parquet`: the weekly rows of SPEC section 4 that fall in the period, one row
per ISO week, with each partner's figures flattened into `by_partner.<handle>.<figure>` columns."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

COLUMNS: dict[str, Any] = {
    "week_start": pl.Date,
    "repairs_offered": pl.Int64,
    "repairs_accepted": pl.Int64,
    "repairs_declined": pl.Int64,
    "acceptance_rate": pl.Float64,
    "promises_due": pl.Int64,
    "promises_kept": pl.Int64,
    "keeping_rate": pl.Float64,
    "check_ins": pl.Int64,
    "mean_closeness": pl.Float64,
    "mean_trust": pl.Float64,
    "conflicts": pl.Int64,
    "horsemen": pl.Int64,
    "bids": pl.Int64,
    "bids_toward": pl.Int64,
    "appreciations": pl.Int64,
    "mean_csi4": pl.Float64,
    "trust_consistency": pl.Float64,
}
PARTNER_COLUMNS: dict[str, Any] = {
    "check_ins": pl.Int64,
    "mean_closeness": pl.Float64,
    "mean_trust": pl.Float64,
    "mean_csi4": pl.Float64,
}


def partner_column(handle: str, figure: str) -> str:
    return f"by_partner.{handle}.{figure}"


def weekly_frame(rows: Sequence[Mapping[str, Any]], partners: Sequence[str]) -> pl.DataFrame:
    """The weekly rows as a flat table (the column order is fixed, also when there is no row)."""
    schema = dict(COLUMNS)
    for handle in partners:
        for figure, dtype in PARTNER_COLUMNS.items():
            schema[partner_column(handle, figure)] = dtype
    records = []
    for row in rows:
        record = {name: row[name] for name in COLUMNS}
        record["week_start"] = date.fromisoformat(str(row["week_start"]))
        for handle in partners:
            for figure in PARTNER_COLUMNS:
                record[partner_column(handle, figure)] = row["by_partner"][handle][figure]
        records.append(record)
    return pl.DataFrame(records, schema=schema, orient="row")


def to_csv(frame: pl.DataFrame) -> bytes:
    return frame.write_csv().encode()


def to_parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()
