"""The read side: `couples`, `entries` and `metrics`."""

from __future__ import annotations

from typing import Annotated

import typer

from repairtrack.bounds import parse_moment
from repairtrack.cli.app import Couple, check_window, cli, open_view


@cli.command()
def couples() -> None:
    """List the couples in the store."""
    from repairtrack.cli.text import couples_lines

    with open_view() as view:
        found = view.couples()
    if not found:
        typer.echo("no couples yet: `repairtrack register` or `repairtrack demo` adds one")
        return
    for line in couples_lines(found):
        typer.echo(line)


@cli.command()
def entries(
    couple: Couple,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
    viewer: Annotated[str | None, typer.Option("--as", help="Show this partner's own private notes.")] = None,
) -> None:
    """The most recent entries of a couple (retracted ones marked), times in the couple's time zone."""
    from projections.filters import TimelineFilter
    from repairtrack.cli.text import entries_lines

    with open_view() as view:
        rows = view.timeline(couple, TimelineFilter(limit=limit), viewer=viewer)
        zone = view.couple(couple).timezone
    for line in entries_lines(rows, zone):
        typer.echo(line)


@cli.command()
def metrics(
    couple: Couple,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The moment T, ISO-8601 with offset (default: now).")
    ] = None,
    window_days: Annotated[int, typer.Option("--window-days", help="The window W in days, 1 to 3660.")] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="Print the SPEC section 4 object.")] = False,
) -> None:
    """The couple's metrics as of a moment, over a window of days."""
    import orjson

    moment = parse_moment(as_of, "--as-of")
    check_window(window_days, "--window-days")
    with open_view() as view:
        result = view.metrics(couple, as_of=moment, window_days=window_days)
        if not as_json:
            zone = view.couple(couple).timezone
            found = [c for c in view.couples() if c["handle"] == couple]
    if as_json:
        typer.echo(orjson.dumps(result).decode())
        return
    from repairtrack.cli.text import metrics_table

    names = {p["handle"]: p["name"] for c in found for p in c["partners"]}
    typer.echo(metrics_table(result, names, zone))
