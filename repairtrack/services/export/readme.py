"""`README.txt`: what each file of the bundle holds and what each figure means. The words are in
`templates/README.txt`; this fills in the facts of one export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import jinja2

from domain.vocabulary import CSI4_CUTOFF
from repairtrack.services.export.period import Period
from repairtrack.services.export.report import MIN_BIDS_FOR_REFERENCE, TEMPLATES


def readme_text(
    *,
    couple: str,
    names: Sequence[str],
    period: Period,
    window_days: int,
    made_at: datetime,
    include_notes: bool,
    pseudonymized: bool,
    weeks: int,
    entries: int,
    fhir_count: int,
) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # plain text  # noqa: S701
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("README.txt").render(
        couple=couple,
        names=list(names),
        timezone=period.timezone,
        first_day=period.first_day.isoformat(),
        last_day=period.last_day.isoformat(),
        T=period.as_of.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        to_given=period.to_given,
        window_days=window_days,
        made_at=made_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        include_notes=include_notes,
        pseudonymized=pseudonymized,
        weeks=weeks,
        entries=entries,
        fhir_count=fhir_count,
        cutoff=f"{CSI4_CUTOFF:g}",
        min_bids=MIN_BIDS_FOR_REFERENCE,
    )
