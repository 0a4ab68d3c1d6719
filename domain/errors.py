"""The domain's own errors: every refusal names the entry, the field and the rule."""

from __future__ import annotations

from dataclasses import dataclass

from domain.rules import RULES


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which field, which rule (a stable code), and what exactly is wrong."""

    field: str
    code: str
    detail: str

    def __post_init__(self) -> None:
        if self.code not in RULES:  # a programming error, never user input
            raise ValueError(f"unregistered rule code {self.code!r}")

    def describe(self, where: str = "") -> str:
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.field}: {self.code}: {self.detail}"


class EntryRefused(DomainError):
    """One entry broke one or more rules. Nothing of it was recorded."""

    def __init__(self, problems: list[Problem], *, entry_id: str | None = None) -> None:
        self.problems = problems
        self.entry_id = entry_id
        where = f"entry {entry_id}" if entry_id else "entry"
        super().__init__("\n".join(p.describe(where) for p in problems))  # one line per problem

    @classmethod
    def single(cls, field: str, code: str, detail: str, *, entry_id: str | None = None) -> EntryRefused:
        return cls([Problem(field, code, detail)], entry_id=entry_id)

    @property
    def first(self) -> Problem:
        return self.problems[0]


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A problem found on one line of an imported file (1-based line number)."""

    line: int
    problem: Problem

    def __str__(self) -> str:
        return self.problem.describe(f"line {self.line}")


class BatchRefused(DomainError):
    """A batch of entries (an import) was refused as a whole; nothing of it was stored."""

    def __init__(self, problems: list[LineProblem], *, total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        lines = [str(p) for p in problems]
        if self.total > len(problems):
            lines.append(f"... and {self.total - len(problems)} more problems")
        super().__init__("\n".join(lines))


class StoreContention(DomainError):
    """Concurrent writers of the same couple kept winning for longer than we retry; nothing was stored."""
