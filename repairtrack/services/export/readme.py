"""`README.txt`: what each file of the bundle holds and what each figure means. The words are in
`templates/README.txt`; this fills in the facts of one export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import jinja2

from projections.figures import REFERENCES, TOO_LITTLE
from repairtrack.services.export.period import Period
from repairtrack.services.export.report import TEMPLATES


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
        # The figures the text names, from their one source (projections.figures).
        **REFERENCES["turn_toward"].values,
        **REFERENCES["positive_negative"].values,
        **REFERENCES["csi4"].values,
        **REFERENCES["trust_consistency"].values,
        min_bids=REFERENCES["turn_toward"].min_bids,
        too_little=TOO_LITTLE,
    )
