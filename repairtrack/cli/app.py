"""The Typer application and what every command group shares: the `--data-dir` option, the couple
option, opening the store or the read model, a progress line, and the bounds of SPEC section 3 Limits
for moments and windows asked about. Refusals are raised as `domain.errors.Refusal`; `main` (in
`repairtrack.cli`) turns them into one line each and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from domain.errors import Refusal
from domain.limits import moment_problem, window_problem
from repairtrack.bounds import refuse
from repairtrack.config import Settings

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
Couple = Annotated[str, typer.Option("--couple", "-c", help="The couple's handle.")]


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


@contextmanager
def open_view() -> Iterator[Any]:
    """The read model, caught up with every entry stored before this command started."""
    from repairtrack.bootstrap import services

    with services(settings()) as built, built.read_model.open() as view:
        yield view


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ----------------------------------------------------------------------------------------------
# the bounds of SPEC section 3 Limits, for what a command asks about
# ----------------------------------------------------------------------------------------------
def check_window(days: int, option: str) -> int:
    """A window W of 1–3660 days, or a refusal naming the option."""
    refuse(window_problem(days, option))
    return days


def check_day(day: date | None, option: str) -> date | None:
    """A day (its midnight, UTC) inside [2000-01-01, 2100-01-01), or a refusal naming the option."""
    if day is None:
        return None
    if (problem := moment_problem(datetime.combine(day, time(0), UTC), option)) is not None:
        raise Refusal(problem.field, problem.code, f"{day.isoformat()} lies outside 2000-01-01 to 2099-12-31")
    return day


# ----------------------------------------------------------------------------------------------
# long commands
# ----------------------------------------------------------------------------------------------
@contextmanager
def bulk() -> Iterator[None]:
    """Python's cycle collector only slows a bulk import down (its objects hold no cycles worth
    collecting in one short command): pause it meanwhile (about a quarter faster, measured)."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def progress_line(total: int) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress line on a terminal, for work big enough to make someone wait."""
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
