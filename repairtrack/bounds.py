"""The bounds of SPEC section 3 Limits for what a caller asks about, shared by the two adapters (the
command line and the HTTP API): a moment given as text, and a refusal made of a limit's problem. Both
raise `domain.errors.Refusal`, which each adapter words in its own way."""

from __future__ import annotations

from datetime import datetime

from domain.errors import Problem, Refusal
from domain.limits import moment_problem, quote


def refuse(problem: Problem | None) -> None:
    """Raise the problem as a refusal; nothing when there is none."""
    if problem is not None:
        raise Refusal(problem.field, problem.code, problem.detail)


def parse_moment(text: str | None, name: str) -> datetime | None:
    """An ISO-8601 moment with an offset inside [2000-01-01T00:00:00Z, 2100-01-01), None when not given,
    or a refusal naming `name` (the option or the query parameter)."""
    from domain.entries import parse_instant

    if text is None:
        return None
    try:
        moment = parse_instant(text)
    except Exception:  # any malformed moment is refused input
        raise Refusal(
            name,
            "time.invalid",
            f"{quote(text)} is not an ISO-8601 time with an offset (e.g. 2026-11-02T19:30:00+01:00)",
        ) from None
    refuse(moment_problem(moment, name))
    return moment
