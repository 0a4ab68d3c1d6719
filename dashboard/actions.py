"""Every write of the dashboard: one entry through the service layer (`repairtrack.services.couples`,
which applies SPEC section 8's rules to the actor of this rerun), its refusal turned into (field,
message) pairs the forms show next to their fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from dashboard import session
from dashboard.compose import problem_text
from dashboard.store import couples
from domain.errors import BatchRefused, EntryRefused, Problem, Refusal
from projections.presenting import escape_markdown
from repairtrack.services.actors import Actor

Problems = list[tuple[str, str]]
SIGNED_OUT = ("account", "You are signed out now. Please sign in again; nothing was saved.")


def record(entry: Mapping[str, Any]) -> tuple[str | None, Problems]:
    """Record one entry of a couple. Returns (its id, []) or (None, the problems, each as (field,
    message))."""

    def write(actor: Actor) -> str:
        couple = entry.get("couple")
        return couples().record(
            actor, couple if isinstance(couple, str) else None, [entry], source="dashboard"
        )[0]

    return _as_actor(write)


def record_together(entries: Sequence[Mapping[str, Any]]) -> tuple[list[str] | None, Problems]:
    """Record several entries of one couple in one step, all or nothing (a correction: the retraction
    of the old entry and its replacement). Returns (their ids, []) or (None, the problems)."""
    found: list[str] = []

    def write(actor: Actor) -> str:
        couple = entries[0].get("couple") if entries else None
        found.extend(
            couples().record(
                actor, couple if isinstance(couple, str) else None, list(entries), source="dashboard"
            )
        )
        return found[-1] if found else ""

    _last, problems = _as_actor(write)
    return (None, problems) if problems else (found, [])


def register(entry: Mapping[str, Any]) -> tuple[str | None, Problems]:
    """Register a new couple (open mode only: with accounts, whoever keeps the store does it)."""
    return _as_actor(lambda actor: couples().register(actor, entry, source="dashboard"))


def _as_actor(write: Callable[[Actor], str]) -> tuple[str | None, Problems]:
    actor = session.actor()
    if actor is None:
        return None, [SIGNED_OUT]
    try:
        return write(actor), []
    except BatchRefused as refused:
        return None, _shown([p.problem for p in refused.problems])
    except (EntryRefused, Refusal) as refused:
        return None, _shown(list(refused.problems))


def _shown(problems: list[Problem]) -> Problems:
    # The messages are shown as Markdown and a detail may quote what was typed: escaped.
    return [
        (problem.field, problem_text(replace(problem, detail=escape_markdown(problem.detail))))
        for problem in problems
    ]
