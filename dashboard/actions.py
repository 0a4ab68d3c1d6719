"""Every write of the dashboard: one entry through the domain application, its refusal turned into
(field, message) pairs the forms show next to their fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.compose import problem_text
from dashboard.store import services
from domain.errors import EntryRefused

Problems = list[tuple[str, str]]


def record(entry: Mapping[str, Any]) -> tuple[str | None, Problems]:
    """Record one entry. Returns (its id, []) or (None, the problems, each as (field, message))."""
    try:
        return services().app.record(entry, source="dashboard"), []
    except EntryRefused as refused:
        return None, [(problem.field, problem_text(problem)) for problem in refused.problems]
