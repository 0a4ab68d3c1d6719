"""`repairtrack`: the command line over the same store the dashboard uses.

Exit codes: 0 success, 2 refused input (one line per problem on stderr), 1 anything else (the store is
busy or unreachable); never a traceback unless REPAIRTRACK_DEBUG=1. Heavy libraries are imported inside
the commands that need them, so `repairtrack log ...` starts quickly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from domain.errors import BatchRefused, EntryRefused
from repairtrack.config import ConfigError, Settings

if TYPE_CHECKING:
    from domain.application import RepairTrack

cli = typer.Typer(
    name="repairtrack",
    help="Track repair work in a relationship: log entries, see metrics, export for a counselor.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
log_cli = typer.Typer(help="Log one entry by hand.", no_args_is_help=True)
cli.add_typer(log_cli, name="log")


class State:
    data_dir: Path | None = None


_state = State()

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of the store (default ./data, or $REPAIRTRACK_DATA_DIR).",
        show_default=False,
    ),
]


@cli.callback()
def _root(data_dir: DataDir = None) -> None:
    _state.data_dir = data_dir


def settings() -> Settings:
    return Settings.from_env(data_dir=_state.data_dir)


@contextmanager
def open_app() -> Iterator[RepairTrack]:
    from repairtrack.bootstrap import build_app

    app = build_app(settings())
    try:
        yield app
    finally:
        app.close()


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ----------------------------------------------------------------------------------------------
# import
# ----------------------------------------------------------------------------------------------
@cli.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A JSON Lines file of entries, or - for stdin.")],
) -> None:
    """Import entries (JSON Lines, SPEC section 3): all of the file, or nothing of it."""
    from repairtrack.services.importing import read_jsonl

    if file == "-":
        items, lines = read_jsonl(sys.stdin.buffer)
    else:
        path = Path(file)
        if not path.is_file():
            fail(f"{file}: no such file")
        with path.open("rb") as stream:
            items, lines = read_jsonl(stream)
    with open_app() as app, _progress(len(items)) as progress, _bulk():
        ids = app.record_batch(items, lines=lines, progress=progress, source="import")
    typer.echo(f"stored {len(ids)} {'entry' if len(ids) == 1 else 'entries'}")


@contextmanager
def _bulk() -> Iterator[None]:
    """Python's cycle collector only slows a bulk import down (its objects hold no cycles worth
    collecting in one short command): pause it meanwhile (about a quarter faster, measured)."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress line on a terminal, for files big enough to make someone wait."""
    if total < 20_000 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=None) as bar:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, of: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=of)
            bar.update(tasks[phase], completed=done)

        yield report


# ----------------------------------------------------------------------------------------------
# register and log
# ----------------------------------------------------------------------------------------------
Couple = Annotated[str, typer.Option("--couple", "-c", help="The couple's handle.")]
By = Annotated[str, typer.Option("--by", help="The partner who did it.")]
At = Annotated[
    str | None,
    typer.Option("--at", help="When it happened, ISO-8601 with offset (default: now)."),
]
EntryId = Annotated[str | None, typer.Option("--id", help="The entry's id (default: a new UUID).")]
LoggedBy = Annotated[str | None, typer.Option("--logged-by", help="Who is logging it (default: --by).")]
Note = Annotated[str | None, typer.Option("--note", help="A note.")]
Private = Annotated[bool, typer.Option("--private", help="Show the note only to its author; never exported.")]


def record(couple: str, entry_type: str, at: str | None, entry_id: str | None, **fields: Any) -> None:
    entry = {
        "type": entry_type,
        "couple": couple,
        "occurred_at": at or now_iso(),
        "id": entry_id,
        **{k: v for k, v in fields.items() if v is not None and v is not False},
    }
    with open_app() as app:
        stored = app.record(entry, source="cli")
    typer.echo(stored)


@cli.command()
def register(
    couple: Couple,
    partner: Annotated[list[str], typer.Option("--partner", help="handle:Name, given twice (A first).")],
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = "UTC",
    at: At = None,
    entry_id: EntryId = None,
) -> None:
    """Register a couple: two partners and a time zone."""
    partners = []
    for item in partner:
        handle, _, name = item.partition(":")
        partners.append({"handle": handle, "name": name or handle})
    record(couple, "couple_registered", at, entry_id, partners=partners, timezone=timezone)


@log_cli.command("conflict")
def log_conflict(
    couple: Couple,
    by: By,
    topic: Annotated[str, typer.Option(help="What it was about, in a few words.")],
    intensity: Annotated[int, typer.Option(min=1, max=5, help="1 (mild) to 5 (intense).")] = 3,
    horseman: Annotated[
        list[str] | None,
        typer.Option(help="criticism, contempt, defensiveness or stonewalling; repeatable."),
    ] = None,
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A conflict started."""
    record(
        couple,
        "conflict_started",
        at,
        entry_id,
        by=by,
        topic=topic,
        horsemen=horseman or [],
        intensity=intensity,
        note=note,
        private=private,
        logged_by=logged_by,
    )


@log_cli.command("conflict-resolved")
def log_conflict_resolved(
    couple: Couple,
    conflict: Annotated[str, typer.Option(help="The conflict's id.")],
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A conflict was resolved."""
    record(
        couple,
        "conflict_resolved",
        at,
        entry_id,
        conflict=conflict,
        note=note,
        private=private,
        logged_by=logged_by,
    )


@log_cli.command("repair")
def log_repair(
    couple: Couple,
    by: By,
    kind: Annotated[
        str,
        typer.Option(help="apology, humor, affection, pause, validation, compromise, reassurance, other."),
    ],
    conflict: Annotated[str | None, typer.Option(help="The conflict it belongs to.")] = None,
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A repair attempt was offered."""
    record(
        couple,
        "repair_offered",
        at,
        entry_id,
        by=by,
        kind=kind,
        conflict=conflict,
        note=note,
        private=private,
        logged_by=logged_by,
    )


def _answer(kind: str) -> Callable[..., None]:
    def command(
        couple: Couple,
        attempt: Annotated[str, typer.Option(help="The repair attempt's id.")],
        at: At = None,
        entry_id: EntryId = None,
        logged_by: LoggedBy = None,
    ) -> None:
        record(couple, kind, at, entry_id, attempt=attempt, logged_by=logged_by)

    command.__doc__ = f"The other partner {kind.removeprefix('repair_')} a repair attempt."
    return command


log_cli.command("repair-accepted")(_answer("repair_accepted"))
log_cli.command("repair-declined")(_answer("repair_declined"))


@log_cli.command("promise")
def log_promise(
    couple: Couple,
    by: By,
    description: Annotated[str, typer.Option(help="What was promised.")],
    due: Annotated[str, typer.Option(help="When it is due, ISO-8601 with offset.")],
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A promise was made."""
    record(
        couple,
        "promise_made",
        at,
        entry_id,
        by=by,
        description=description,
        due_at=due,
        logged_by=logged_by,
    )


def _settle(kind: str) -> Callable[..., None]:
    def command(
        couple: Couple,
        promise: Annotated[str, typer.Option(help="The promise's id.")],
        note: Note = None,
        private: Private = False,
        at: At = None,
        entry_id: EntryId = None,
        logged_by: LoggedBy = None,
    ) -> None:
        record(
            couple,
            kind,
            at,
            entry_id,
            promise=promise,
            note=note,
            private=private,
            logged_by=logged_by,
        )

    command.__doc__ = f"A promise was {kind.removeprefix('promise_')}."
    return command


log_cli.command("promise-kept")(_settle("promise_kept"))
log_cli.command("promise-broken")(_settle("promise_broken"))


@log_cli.command("promise-renegotiated")
def log_promise_renegotiated(
    couple: Couple,
    promise: Annotated[str, typer.Option(help="The promise's id.")],
    due: Annotated[str, typer.Option(help="The new due time, ISO-8601 with offset.")],
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A promise got a new due time, before the old one passed."""
    record(
        couple,
        "promise_renegotiated",
        at,
        entry_id,
        promise=promise,
        due_at=due,
        logged_by=logged_by,
    )


@log_cli.command("promise-released")
def log_promise_released(
    couple: Couple,
    promise: Annotated[str, typer.Option(help="The promise's id.")],
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A promise was released by agreement, before it was due."""
    record(couple, "promise_released", at, entry_id, promise=promise, logged_by=logged_by)


@log_cli.command("check-in")
def log_check_in(
    couple: Couple,
    by: By,
    closeness: Annotated[int, typer.Option(help="1-10.")],
    trust: Annotated[int, typer.Option(help="1-10.")],
    csi4: Annotated[
        str | None, typer.Option(help="The four CSI-4 answers, e.g. 4,3,3,4 (0-6, 0-5, 0-5, 0-5).")
    ] = None,
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A check-in: how close and how trusting it feels, with the CSI-4 if you like."""
    answers: list[Any] | None = None
    if csi4 is not None:
        answers = [int(a) if a.strip().lstrip("-").isdigit() else a for a in csi4.split(",")]
    record(
        couple,
        "check_in",
        at,
        entry_id,
        by=by,
        closeness=closeness,
        trust=trust,
        csi4=answers,
        note=note,
        private=private,
        logged_by=logged_by,
    )


@log_cli.command("bid")
def log_bid(
    couple: Couple,
    by: By,
    response: Annotated[str, typer.Option(help="How the other met it: toward, away, against.")],
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """A bid for connection, and how the other partner met it."""
    record(
        couple,
        "bid_made",
        at,
        entry_id,
        by=by,
        response=response,
        note=note,
        private=private,
        logged_by=logged_by,
    )


@log_cli.command("appreciation")
def log_appreciation(
    couple: Couple,
    by: By,
    note: Note = None,
    private: Private = False,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """An appreciation was expressed."""
    record(
        couple,
        "appreciation_expressed",
        at,
        entry_id,
        by=by,
        note=note,
        private=private,
        logged_by=logged_by,
    )


@log_cli.command("retract")
def log_retract(
    couple: Couple,
    entry: Annotated[str, typer.Option(help="The id of the entry to retract.")],
    reason: Annotated[str | None, typer.Option(help="Why (optional).")] = None,
    at: At = None,
    entry_id: EntryId = None,
    logged_by: LoggedBy = None,
) -> None:
    """Retract an earlier entry: it (and what depends on it) is treated as never recorded."""
    record(couple, "entry_retracted", at, entry_id, entry=entry, reason=reason, logged_by=logged_by)


# ----------------------------------------------------------------------------------------------
# demo
# ----------------------------------------------------------------------------------------------
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
        with _progress(len(entries)) as progress, _bulk():
            ids = app.record_batch(entries, progress=progress, source="demo")
    typer.echo(f"stored {len(ids)} demo entries for {couples} couple{'s' if couples > 1 else ''}")


# ----------------------------------------------------------------------------------------------
# the read side
# ----------------------------------------------------------------------------------------------
@contextmanager
def open_view() -> Iterator[Any]:
    """The read model, caught up with every entry stored before this command started."""
    from repairtrack.bootstrap import services

    with services(settings()) as built, built.read_model.open() as view:
        yield view


def parse_moment(text: str | None, option: str) -> datetime | None:
    from domain.entries import parse_instant

    if text is None:
        return None
    try:
        return parse_instant(text)
    except Exception:  # any malformed moment is refused input
        fail(
            f"{option}: time.invalid: {text!r} is not an ISO-8601 time with an offset "
            "(e.g. 2026-11-02T19:30:00+01:00)"
        )


@cli.command()
def metrics(
    couple: Couple,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The moment T, ISO-8601 with offset (default: now).")
    ] = None,
    window_days: Annotated[int, typer.Option("--window-days", min=1, help="The window W in days.")] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="Print the SPEC section 4 object.")] = False,
) -> None:
    """The couple's metrics as of a moment, over a window of days."""
    import orjson

    from projections.readmodel import UnknownCouple

    moment = parse_moment(as_of, "--as-of")
    with open_view() as view:
        try:
            result = view.metrics(couple, as_of=moment, window_days=window_days)
        except UnknownCouple:
            fail(f"couple: couple.unknown: no couple {couple!r}")
    if as_json:
        typer.echo(orjson.dumps(result).decode())
    else:
        from repairtrack.cli.text import metrics_table

        typer.echo(metrics_table(result))


@cli.command()
def rebuild() -> None:
    """Drop the read model and rebuild it from the event store."""
    from repairtrack.bootstrap import services

    with services(settings()) as built:
        total = built.app.recorder.max_notification_id() or 0
        with _progress(total) as progress:
            count = built.read_model.rebuild(
                progress=(lambda done, of: progress("rebuilding", done, of)) if progress else None
            )
    typer.echo(f"rebuilt the read model from {count} events")


@cli.command()
def couples() -> None:
    """List the couples in the store."""
    with open_view() as view:
        found = view.couples()
    if not found:
        typer.echo("no couples yet: `repairtrack register` or `repairtrack demo` adds one")
    for item in found:
        a, b = item["partners"]
        typer.echo(
            f"{item['handle']:<24} {a['name']} & {b['name']:<20} {item['timezone']:<22} "
            f"{item['entries']} entries"
        )


@cli.command()
def entries(
    couple: Couple,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 20,
    viewer: Annotated[str | None, typer.Option("--as", help="Show this partner's own private notes.")] = None,
) -> None:
    """The most recent entries of a couple (retracted ones marked)."""
    from projections.readmodel import UnknownCouple
    from repairtrack.cli.text import entry_line

    with open_view() as view:
        try:
            rows = view.timeline(couple, viewer=viewer, limit=limit)
        except UnknownCouple:
            fail(f"couple: couple.unknown: no couple {couple!r}")
    for row in rows:
        typer.echo(entry_line(row))


# ----------------------------------------------------------------------------------------------
# keeping the store
# ----------------------------------------------------------------------------------------------
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
    from repairtrack.services.maintenance import Refused
    from repairtrack.services.maintenance import backup as take_backup

    try:
        count = take_backup(settings(), out)
    except Refused as refused:
        fail(f"backup: {refused}")
    typer.echo(f"backed up {count} events to {out}")


@cli.command()
def restore(file: Annotated[Path, typer.Argument(help="A file made by `repairtrack backup`.")]) -> None:
    """Restore a backup into an empty data folder (the read model rebuilds itself)."""
    from repairtrack.bootstrap import services
    from repairtrack.services.maintenance import Refused
    from repairtrack.services.maintenance import restore as restore_backup

    try:
        count = restore_backup(settings(), file)
    except Refused as refused:
        fail(f"restore: {refused}")
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
    from repairtrack.services.maintenance import Refused
    from repairtrack.services.maintenance import forget as erase

    if confirm is None:
        typer.echo(
            f"This erases every entry of {couple!r} from {settings().describe_store()}, with no way back "
            "(backups made earlier still hold it).",
            err=True,
        )
        confirm = typer.prompt("Type the couple's handle to confirm", default="", show_default=False)
    if confirm != couple:
        fail("forget: confirmation.mismatch: the handle typed does not match; nothing was erased")
    with services(settings()) as built:
        try:
            erased = erase(built, couple)
        except Refused as refused:
            fail(str(refused))
    typer.echo(f"erased {couple}: {erased} events, its snapshots and its read-model rows")


# ----------------------------------------------------------------------------------------------
# export
# ----------------------------------------------------------------------------------------------
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
    window_days: Annotated[int, typer.Option("--window-days", help="The metrics window W in days.")] = 28,
    include_notes: Annotated[
        bool, typer.Option("--include-notes", help="Include notes (private notes never).")
    ] = False,
    pseudonymize: Annotated[
        bool, typer.Option("--pseudonymize", help='Names become "Partner A"/"Partner B" in every file.')
    ] = False,
) -> None:
    """The counselor bundle: one zip with the report (HTML, PDF), metrics, weekly rows, entries, CSI-4."""
    from repairtrack.bootstrap import services
    from repairtrack.services.export import ExportOptions, ExportRefused, build_bundle, write_bundle
    from repairtrack.services.export.bundle import Stopwatch, check_out
    from repairtrack.services.export.period import parse_day

    try:
        options = ExportOptions(
            couple=couple,
            from_day=parse_day(from_day, "from"),
            to_day=parse_day(to_day, "to"),
            window_days=window_days,
            include_notes=include_notes,
            pseudonymize=pseudonymize,
        )
        check_out(out)
        with services(settings()) as built:
            bundle = build_bundle(built, options, progress=Stopwatch(lambda line: typer.echo(line, err=True)))
        path = write_bundle(bundle, out)
    except ExportRefused as refused:
        fail(str(refused))
    typer.echo(str(path))
    typer.echo(bundle.summary())


# ----------------------------------------------------------------------------------------------
# dashboard
# ----------------------------------------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_remote_access(host: str) -> dict[str, str]:
    """Listening beyond this machine needs an access passphrase (`repairtrack passphrase`); the
    dashboard then asks every new session for it. Returns what the dashboard's environment needs."""
    if _is_loopback(host):
        return {}
    from repairtrack.services.access import is_set

    if not is_set(settings().data_dir):
        fail(
            f"--host {host}: access.passphrase_missing: the dashboard would be reachable from other "
            "devices; set an access passphrase first with `repairtrack passphrase`"
        )
    return {"REPAIRTRACK_REQUIRE_PASSPHRASE": "1"}


@cli.command()
def passphrase(
    from_stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the passphrase from standard input (for scripts).")
    ] = False,
) -> None:
    """Set the access passphrase a dashboard open to other devices asks for (only its hash is kept)."""
    from repairtrack.services.access import PassphraseProblem, set_passphrase

    if from_stdin:
        given = sys.stdin.readline().rstrip("\n")
    else:
        given = typer.prompt("New access passphrase", hide_input=True, confirmation_prompt=True)
    try:
        set_passphrase(settings().data_dir, given)
    except PassphraseProblem as problem:
        fail(f"passphrase: passphrase.too_short: {problem}")
    typer.echo("access passphrase set (stored as an argon2 hash)")


@cli.command()
def dashboard(
    host: Annotated[
        str, typer.Option(help="Address to listen on (this machine only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8501,
) -> None:
    """Start the dashboard (Streamlit) on http://HOST:PORT, over the same store as these commands."""
    from importlib.util import find_spec

    remote = _check_remote_access(host)
    # Where the dashboard package lives (found, not imported: nothing imports dashboard/).
    spec = find_spec("dashboard")
    places = list(spec.submodule_search_locations or []) if spec else []
    folder = next((Path(p) for p in places if (Path(p) / "app.py").is_file()), None)
    if folder is None:
        fail("the dashboard package is not installed next to repairtrack", 1)
    root = folder.parent
    env = dict(os.environ)
    env["REPAIRTRACK_DATA_DIR"] = str(settings().data_dir)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.pop("REPAIRTRACK_REQUIRE_PASSPHRASE", None)
    env.update(remote)
    args = [
        sys.executable,
        "-m",
        "dashboard.launch",  # streamlit run dashboard/app.py (see there why not plainly)
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--server.runOnSave",
        "false",
        "--global.developmentMode",
        "false",
    ]
    typer.echo(f"repairtrack dashboard on http://{host}:{port} (store: {settings().describe_store()})")
    sys.stdout.flush()
    os.execve(sys.executable, args, env)  # noqa: S606 (the dashboard replaces this process)


# ----------------------------------------------------------------------------------------------
def main() -> None:
    """Run the command line; turn refusals into exit code 2 and failures into a one-line message."""
    try:
        cli()
    except BrokenPipeError:  # the reader of our output went away (`... | head`): nothing to say
        sys.stderr.close()
        os._exit(1)
    except (BatchRefused, EntryRefused) as refused:
        for line in str(refused).splitlines():
            typer.echo(line, err=True)
        sys.exit(2)
    except ConfigError as error:
        typer.echo(f"repairtrack: {error}", err=True)
        sys.exit(2)
    except Exception as error:
        if os.environ.get("REPAIRTRACK_DEBUG"):
            raise
        from repairtrack.failures import explain

        typer.echo(f"repairtrack: {explain(error, settings())}", err=True)
        sys.exit(1)
