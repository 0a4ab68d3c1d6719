"""The counselor bundle (SPEC section 6): one zip with the report (HTML and PDF), the metrics, the weekly
rows, the entries, the CSI-4 answers as FHIR, and a README.

`build_bundle` reads everything it needs from the store in one go (the write side's entries, then the read
model opened once), applies the privacy options to every piece, and returns the files in memory;
`write_bundle` puts them in a zip. The command line and the dashboard's export page both call these.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from domain.limits import DEFAULT_WINDOW_DAYS, window_problem
from repairtrack.bootstrap import Services
from repairtrack.services.export import events as entries_module
from repairtrack.services.export.fhir import csi4_bundle
from repairtrack.services.export.period import ExportRefused, Period, resolve_period
from repairtrack.services.export.privacy import Pseudonymizer
from repairtrack.services.export.queries import open_promises
from repairtrack.services.export.readme import readme_text
from repairtrack.services.export.report import (
    ReportContext,
    note_rows,
    render_charts,
    render_html,
    render_pdf,
)
from repairtrack.services.export.weekly import to_csv, to_parquet, weekly_frame
from repairtrack.services.files import atomic_private_write

FILES = (
    "report.html",
    "report.pdf",
    "metrics.json",
    "weekly.csv",
    "weekly.parquet",
    "events.jsonl",
    "csi4.fhir.json",
    "README.txt",
)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ExportOptions:
    couple: str
    from_day: date | None = None
    to_day: date | None = None
    window_days: int = DEFAULT_WINDOW_DAYS
    include_notes: bool = False
    pseudonymize: bool = False


@dataclass
class Bundle:
    """The files of one export, in memory, and what the caller may want to say about them."""

    files: dict[str, bytes]
    period: Period
    couple: str  # the couple's handle as written in the files
    metrics: dict[str, Any]
    entries: int
    weeks: int
    fhir_responses: int
    made_at: datetime
    options: ExportOptions
    html: str = field(repr=False, default="")

    @property
    def filename(self) -> str:
        return f"repairtrack-{self.couple}-{self.period.first_day}-to-{self.period.last_day}.zip"

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        stamp = self.made_at.astimezone(UTC).timetuple()[:6]
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in FILES:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, self.files[name])
        return buffer.getvalue()

    def summary(self) -> str:
        notes = "notes included" if self.options.include_notes else "notes left out"
        names = ", pseudonymized" if self.options.pseudonymize else ""
        return (
            f"{self.couple}: {self.period.first_day} to {self.period.last_day}, {self.entries} entries, "
            f"{self.weeks} weeks, {self.fhir_responses} CSI-4 responses; {notes}{names}"
        )


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def _last_check_ins(entries: list[dict[str, Any]]) -> dict[str, str | None]:
    """Each partner's last existing check-in up to T (for the guidance's 'days since' fact)."""
    gone = entries_module.gone_ids(entries)
    last: dict[str, datetime] = {}
    for entry in entries:
        if entry["type"] == "check_in" and entry["id"] not in gone:
            moment = entries_module.occurred(entry)
            if entry["by"] not in last or moment > last[entry["by"]]:
                last[entry["by"]] = moment
    return {handle: moment.isoformat() for handle, moment in last.items()}


def build_bundle(
    services: Services,
    options: ExportOptions,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Bundle:
    """Every file of the bundle for `options`. Raises `ExportRefused` for input it cannot work with."""
    from content.library import load_library
    from projections.schema import METRICS_SCHEMA

    say = progress or (lambda _step: None)
    made_at = (now or datetime.now(UTC)).astimezone(UTC)
    if (bad_window := window_problem(options.window_days, "window-days")) is not None:
        raise ExportRefused(bad_window.field, bad_window.code, bad_window.detail)
    registered = services.app.describe(options.couple)
    if registered is None:
        raise ExportRefused("couple", "couple.unknown", f"no couple {options.couple!r}")
    partners = [{"handle": p.handle, "name": p.name} for p in registered.partners]
    handles = list(registered.handles)
    timezone = registered.timezone
    window = options.window_days
    # T depends only on --to; the default --from needs the metrics as of T.
    first = resolve_period(timezone=timezone, first_week=None, now=made_at, to_day=options.to_day)
    as_of = first.as_of

    say("reading the entries")
    recorded = services.app.entries(options.couple, local_times=True)
    with services.read_model.open() as view:
        metrics = view.metrics(options.couple, as_of=as_of, window_days=window)
        first_week = date.fromisoformat(metrics["weekly"][0]["week_start"]) if metrics["weekly"] else None
        period = resolve_period(
            timezone=timezone,
            first_week=first_week,
            now=made_at,
            from_day=options.from_day,
            to_day=options.to_day,
        )
        # The change over the period: the first window of the period against the last one.
        before_at = period.start.astimezone(UTC) + timedelta(days=window) - timedelta(microseconds=1)
        before = None
        if before_at < as_of:
            before = view.metrics(options.couple, as_of=before_at, window_days=window)
        promised = open_promises(view, options.couple, as_of, window)

    pseudo = Pseudonymizer(options.couple, partners, enabled=options.pseudonymize)
    selected = entries_module.entries_as_of(recorded, as_of)
    with_notes = [e for e in selected if e.get("note")]
    private = sum(1 for e in with_notes if e.get("private"))
    written = entries_module.prepare(selected, include_notes=options.include_notes, pseudonymizer=pseudo)

    metrics_out = pseudo.metrics(metrics)
    before_out = pseudo.metrics(before) if before is not None else None
    shown = [pseudo.handle(h) for h in handles]
    names = {pseudo.handle(h): pseudo.name(h) for h in handles}
    weekly = [r for r in metrics_out["weekly"] if period.covers_week(date.fromisoformat(r["week_start"]))]
    last_check_in = {pseudo.handle(h): v for h, v in _last_check_ins(selected).items()}
    guidance = load_library(schema=METRICS_SCHEMA).select(
        metrics_out, {"last_check_in": {h: last_check_in.get(h) for h in shown}}
    )
    fhir = csi4_bundle(written, couple=pseudo.couple_handle, names=names, made_at=made_at)
    fhir_count = len(fhir["entry"]) - 1

    say("drawing the charts")
    context = ReportContext(
        couple=pseudo.couple_handle,
        partners=[(h, names[h]) for h in shown],
        period=period,
        made_at=made_at,
        window_days=window,
        metrics=metrics_out,
        before=before_out,
        before_at=before_at if before is not None else None,
        weekly=weekly,
        open_promises=[
            {
                **p,
                "by": pseudo.handle(p["by"]),
                "name": pseudo.name(p["by"]),
                "description": pseudo.free_text(p["description"]),
            }
            for p in promised
        ],
        guidance=guidance,
        charts=render_charts(weekly, metrics_out, names),
        include_notes=options.include_notes,
        pseudonymized=options.pseudonymize,
        entries_count=len(written),
        notes_left_out=len(with_notes) if not options.include_notes else private,
        private_left_out=private,
        fhir_count=fhir_count,
        notes=note_rows(written, entries_module.gone_ids(written), period, names),
    )
    html = render_html(context)
    say("rendering the PDF")
    pdf = render_pdf(html)

    frame = weekly_frame(weekly, shown)
    files = {
        "report.html": html.encode(),
        "report.pdf": pdf,
        "metrics.json": _json(metrics_out),
        "weekly.csv": to_csv(frame),
        "weekly.parquet": to_parquet(frame),
        "events.jsonl": entries_module.to_jsonl(written),
        "csi4.fhir.json": _json(fhir),
        "README.txt": readme_text(
            couple=pseudo.couple_handle,
            names=[names[h] for h in shown],
            period=period,
            window_days=window,
            made_at=made_at,
            include_notes=options.include_notes,
            pseudonymized=options.pseudonymize,
            weeks=len(weekly),
            entries=len(written),
            fhir_count=fhir_count,
        ).encode(),
    }
    return Bundle(
        files=files,
        period=period,
        couple=pseudo.couple_handle,
        metrics=metrics_out,
        entries=len(written),
        weeks=len(weekly),
        fhir_responses=fhir_count,
        made_at=made_at,
        options=options,
        html=html,
    )


def check_out(out: Path, *, force: bool = False) -> None:
    """Refuse, before any slow work, an output path whose folder does not exist, or an existing file
    (or symlink) there unless `force`."""
    if out.is_dir() and not out.is_symlink():
        return
    if not out.parent.is_dir():
        raise ExportRefused("out", "path.missing", f"the folder {str(out.parent)!r} does not exist")
    _check_target(out, force=force)


def write_bundle(bundle: Bundle, out: Path, *, force: bool = False) -> Path:
    """Write the zip to `out`, or into `out` under its own name when `out` is a folder. The zip is
    private (0600), written in full to a temporary file in the same folder and then moved into place;
    an existing file there is refused unless `force`, and a symlink is replaced, never written through."""
    check_out(out, force=force)
    target = out / bundle.filename if out.is_dir() and not out.is_symlink() else out
    _check_target(target, force=force)
    try:
        atomic_private_write(target, bundle.zip_bytes(), replace=force)
    except FileExistsError:
        raise _exists(target) from None
    return target


def _check_target(target: Path, *, force: bool) -> None:
    if target.is_dir() and not target.is_symlink():
        raise ExportRefused("out", "export.exists", f"{target} is a folder; name a file for the zip")
    if (target.is_symlink() or target.exists()) and not force:
        raise _exists(target)


def _exists(target: Path) -> ExportRefused:
    return ExportRefused(
        "out", "export.exists", f"{target} already exists; choose a new name, or add --force to replace it"
    )


class Stopwatch:
    """Progress on stderr for an export that takes more than a second: each slow step is announced once
    the export has run for a second, or at once for the PDF, which always takes a while."""

    def __init__(self, emit: Callable[[str], None], *, after: float = 1.0) -> None:
        self.emit = emit
        self.after = after
        self.started = time.monotonic()

    def __call__(self, step: str) -> None:
        if step.startswith("rendering") or time.monotonic() - self.started > self.after:
            self.emit(f"export: {step}…")


def read_files(data: bytes) -> Mapping[str, bytes]:
    """The files of a bundle zip (for tests and the dashboard's preview)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
