"""Every write of the dashboard: one entry through the domain application, its refusal turned into
(field, message) pairs the forms show next to their fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dashboard.compose import problem_text
from dashboard.store import services
from domain.errors import EntryRefused
from projections.presenting import escape_markdown

Problems = list[tuple[str, str]]


def record(entry: Mapping[str, Any]) -> tuple[str | None, Problems]:
    """Record one entry. Returns (its id, []) or (None, the problems, each as (field, message))."""
    try:
        return services().app.record(entry, source="dashboard"), []
    except EntryRefused as refused:
        # The messages are shown as Markdown and a detail may quote what was typed: escaped.
        return None, [
            (problem.field, problem_text(replace(problem, detail=escape_markdown(problem.detail))))
            for problem in refused.problems
        ]
