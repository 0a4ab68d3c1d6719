"""Text templates: a guidance piece's ``reason`` and an observation's sentence, filled from the facts.

A template is plain text with placeholders ``{path}`` or ``{path:format}``; ``path`` is any fact path a
condition may name (``content.conditions``), and a ``*`` path lists both partners side by side
("ana: 12, ben: 15"), never ranked. Formats: ``%`` (0.38 → "38%"), ``.Nf`` (N decimals) or ``.N%``. Without a
format, a whole number prints as is and any other number with at most two decimals. A null value prints
as "—"; a list prints comma-separated ("none" when empty). ``check_template`` checks the placeholders at
load, like conditions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from content.conditions import Value, lookup
from content.errors import ConditionError
from content.facts import partners
from content.schema import Schema, resolve
from content.syntax import FactPath, parse_condition

__all__ = ["NULL_TEXT", "check_template", "render_template"]

_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
_FORMAT = re.compile(r"%|\.[0-9][f%]")
NULL_TEXT: Final = "—"


def _placeholders(template: str) -> list[tuple[FactPath, str]]:
    """The placeholders of a template, each as (path, format); refuses stray braces."""
    found: list[tuple[FactPath, str]] = []
    for match in _PLACEHOLDER.finditer(template):
        text, spec = match.group(1).strip(), match.group(2) or ""
        node = parse_condition(text) if text else None
        if not isinstance(node, FactPath):
            raise ConditionError(f"placeholder {match.group()!r} must hold a fact path")
        if spec and not _FORMAT.fullmatch(spec):
            raise ConditionError(f"placeholder {match.group()!r}: the format must be %, .Nf or .N%")
        found.append((node, spec))
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        raise ConditionError("a '{' or '}' outside a {placeholder}")
    return found


def check_template(template: str, schema: Schema) -> None:
    """Check every placeholder of a template against the schema of the facts."""
    for path, _spec in _placeholders(template):
        resolve(path.parts, schema)


def _show(value: Value, spec: str) -> str:
    if value is None:
        return NULL_TEXT
    if isinstance(value, list | tuple):
        return ", ".join(_show(item, spec) for item in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if spec == "%":
            return f"{value * 100:.0f}%"
        if spec:
            return format(value, spec)
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def render_template(template: str, facts: Mapping[str, Any]) -> str:
    """The text with each placeholder filled from the facts (``content.facts.build_facts``)."""
    specs = iter(_placeholders(template))

    def fill(match: re.Match[str]) -> str:
        path, spec = next(specs)
        if "*" in path.parts:
            return ", ".join(
                f"{handle}: {_show(lookup(path, facts, handle), spec)}" for handle in partners(facts)
            )
        return _show(lookup(path, facts, None), spec)

    return _PLACEHOLDER.sub(fill, template)
