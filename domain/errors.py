"""The domain's own errors: every refusal names the entry, the field and the rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from domain.rules import is_registered


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which field, which rule (a stable code), and what exactly is wrong."""

    field: str
    code: str
    detail: str

    def __post_init__(self) -> None:
        if not is_registered(self.code):  # a programming error, never user input
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


class Refusal(DomainError):
    """A request refused outside the rules of an entry: an option out of bounds, a missing file, a store
    configured in a way that cannot work, a read model another process holds. Like `EntryRefused` it
    holds problems, each naming the field (an option, a setting), a code registered in `domain.rules`
    and the detail; its message is one `field: code: detail` line per problem.

    `transient` refusals (something busy) say "try again later" rather than "change the input": the
    command line exits with 1 for them and with 2 for the others."""

    transient: ClassVar[bool] = False

    def __init__(self, field: str, code: str, detail: str, *, also: Sequence[Problem] = ()) -> None:
        self.problems = [Problem(field, code, detail), *also]
        super().__init__("\n".join(p.describe() for p in self.problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def field(self) -> str:
        return self.first.field

    @property
    def code(self) -> str:
        return self.first.code

    @property
    def detail(self) -> str:
        return self.first.detail
