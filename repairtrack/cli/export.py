"""`repairtrack export`: the counselor bundle (SPEC section 6), built by `repairtrack.services.export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from repairtrack.cli.app import Couple, check_day, check_window, cli, settings


@cli.command()
def export(
    couple: Couple,
    out: Annotated[Path, typer.Option("--out", help="The zip to write, or a folder to write it into.")],
    from_day: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD in the couple's time zone (default: first week)."),
    ] = None,
    to_day: Annotated[
        str | None,
        typer.Option("--to", help="Last day, YYYY-MM-DD; T is the end of that day (default: now)."),
    ] = None,
    window_days: Annotated[
        int, typer.Option("--window-days", help="The metrics window W in days, 1 to 3660.")
    ] = 28,
    include_notes: Annotated[
        bool, typer.Option("--include-notes", help="Include notes (private notes never).")
    ] = False,
    pseudonymize: Annotated[
        bool, typer.Option("--pseudonymize", help='Names become "Partner A"/"Partner B" in every file.')
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file at --out (never through a symlink).")
    ] = False,
) -> None:
    """The counselor bundle: one zip with the report (HTML, PDF), metrics, weekly rows, entries, CSI-4."""
    from repairtrack.bootstrap import services
    from repairtrack.services.export import ExportOptions, build_bundle, write_bundle
    from repairtrack.services.export.bundle import Stopwatch, check_out
    from repairtrack.services.export.period import parse_day

    options = ExportOptions(
        couple=couple,
        from_day=check_day(parse_day(from_day, "from"), "from"),
        to_day=check_day(parse_day(to_day, "to"), "to"),
        window_days=check_window(window_days, "window-days"),
        include_notes=include_notes,
        pseudonymize=pseudonymize,
    )
    check_out(out, force=force)
    with services(settings()) as built:
        bundle = build_bundle(built, options, progress=Stopwatch(lambda line: typer.echo(line, err=True)))
    path = write_bundle(bundle, out, force=force)
    typer.echo(str(path))
    typer.echo(bundle.summary())
