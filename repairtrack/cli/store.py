"""Filling and keeping the store: `import`, `demo`, `rebuild`, `backup`, `restore`, `forget`, `keygen` and
`passphrase`. The work is done by `repairtrack.services`; these parse, call and print."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from domain.errors import Refusal
from repairtrack.cli.app import Couple, bulk, cli, open_app, progress_line, settings


@cli.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A JSON Lines file of entries, or - for stdin.")],
) -> None:
    """Import entries (JSON Lines, SPEC section 3): all of the file, or nothing of it."""
    from repairtrack.services.importing import read_jsonl, read_stdin

    if file == "-":
        items, lines = read_stdin(sys.stdin)  # None when started with standard input closed
    else:
        path = Path(file)
        if not path.exists() or path.is_dir():  # a device or a pipe is read like a file, within the limits
            typer.echo(f"{file}: no such file", err=True)
            raise typer.Exit(2)
        with path.open("rb") as stream:
            items, lines = read_jsonl(stream)
    with open_app() as app, progress_line(len(items)) as progress, bulk():
        ids = app.record_batch(items, lines=lines, progress=progress, source="import")
    typer.echo(f"stored {len(ids)} {'entry' if len(ids) == 1 else 'entries'}")


@cli.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed and end give the same data.")] = 7,
    couples: Annotated[int, typer.Option(min=1, help="How many couples.")] = 1,
    days: Annotated[int, typer.Option(min=7, help="How many days of history.")] = 120,
    until: Annotated[
        str | None, typer.Option(help="Last day (YYYY-MM-DD) of the history (default: today).")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the store already holds a couple.")
    ] = False,
) -> None:
    """Load generated demo couples (reproducible by seed and end date) through the import path."""
    from datetime import date

    from repairtrack.services.demo import generate

    end = date.fromisoformat(until) if until else datetime.now(UTC).date()
    with open_app() as app:
        if if_empty and app.recorder.max_notification_id():
            typer.echo("the store already holds entries; demo not loaded")
            return
        entries = generate(seed=seed, couples=couples, days=days, until=end)
        with progress_line(len(entries)) as progress, bulk():
            ids = app.record_batch(entries, progress=progress, source="demo")
    typer.echo(f"stored {len(ids)} demo entries for {couples} couple{'s' if couples > 1 else ''}")
    typer.echo(demo_guide(couples), err=True)


def demo_guide(couples: int) -> str:
    """Which handle the demo couple has and how to open it (on stderr: standard output keeps the count)."""
    from repairtrack.services.demo import couple_handle

    first = couple_handle(0, couples)
    named = (
        f"The demo couple is {first}"
        if couples == 1
        else f"The demo couples are {first} to {couple_handle(couples - 1, couples)}"
    )
    return (
        f"{named}: open the dashboard with `repairtrack dashboard` (or `make run`) and choose it under "
        f"Who is here, or see its figures with `repairtrack metrics -c {first}`."
    )


@cli.command()
def rebuild() -> None:
    """Drop the read model and rebuild it from the event store."""
    from repairtrack.bootstrap import services

    with services(settings()) as built:
        total = built.app.recorder.max_notification_id() or 0
        with progress_line(total) as progress:
            count = built.read_model.rebuild(
                progress=(lambda done, of: progress("rebuilding", done, of)) if progress else None
            )
    typer.echo(f"rebuilt the read model from {count} events")


@cli.command()
def keygen() -> None:
    """Make a new encryption key. Keep it safe: without it an encrypted store cannot be read."""
    from repairtrack.services.keys import new_key

    typer.echo(new_key())
    typer.echo(
        "Set it as REPAIRTRACK_ENCRYPTION_KEY before the store's first entry, for every repairtrack "
        "process, and keep a copy somewhere safe: it cannot be recovered.",
        err=True,
    )


@cli.command()
def backup(out: Annotated[Path, typer.Option("--out", help="The backup file to write.")]) -> None:
    """A consistent copy of the event store, safe to take while the dashboard runs."""
    from repairtrack.services.maintenance import backup as take_backup

    count = take_backup(settings(), out)
    typer.echo(f"backed up {count} events to {out}")


@cli.command()
def restore(file: Annotated[Path, typer.Argument(help="A file made by `repairtrack backup`.")]) -> None:
    """Restore a backup into an empty data folder (the read model rebuilds itself)."""
    from repairtrack.bootstrap import services
    from repairtrack.services.maintenance import restore as restore_backup

    count = restore_backup(settings(), file)
    with services(settings()) as built, built.read_model.open():
        pass  # checks the key and rebuilds the read model now rather than on first use
    typer.echo(f"restored {count} events into {settings().data_dir}")


@cli.command()
def forget(
    couple: Couple,
    confirm: Annotated[
        str | None, typer.Option("--confirm", help="The couple's handle again, to confirm without a prompt.")
    ] = None,
) -> None:
    """Erase everything of a couple from this store, for good. Other couples stay as they are."""
    from repairtrack.bootstrap import services
    from repairtrack.services.maintenance import forget as erase

    if confirm is None:
        typer.echo(
            f"This erases every entry of {couple!r} from {settings().describe_store()}, with no way back "
            "(backups made earlier still hold it).",
            err=True,
        )
        confirm = typer.prompt("Type the couple's handle to confirm", default="", show_default=False)
    if confirm != couple:
        raise Refusal(
            "forget", "confirmation.mismatch", "the handle typed does not match; nothing was erased"
        )
    with services(settings()) as built:
        erased = erase(built, couple)
    typer.echo(f"erased {couple}: {erased} events, its snapshots and its read-model rows")


@cli.command()
def passphrase(
    from_stdin: Annotated[
        bool, typer.Option("--stdin", help="Accepted for older scripts; nothing is read.")
    ] = False,
) -> None:
    """Replaced by accounts: says how to invite people instead (exit 2)."""
    from repairtrack.services.access import passphrase_replaced

    raise passphrase_replaced()
