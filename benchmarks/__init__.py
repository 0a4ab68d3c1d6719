"""`make bench`: performance benchmarks, run by `python -m benchmarks.run [names...]`.

Each benchmark module has a `run() -> Result` and is registered in `benchmarks.run.BENCHMARKS`; the
runner writes every result to `benchmarks/results/<name>.json` and `<name>.md`, and a summary of all
results to `benchmarks/results/summary.md`. This module holds the vocabulary they share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Measure:
    """One figure of a benchmark, with the target it is held to (if any)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = True

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "met": self.met}


@dataclass
class Result:
    """What one benchmark found: its figures, the setting it ran in, and notes for the reader."""

    name: str
    title: str
    measures: list[Measure] = field(default_factory=list)
    setting: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        name: str,
        value: float,
        unit: str,
        target: float | None = None,
        *,
        higher_is_better: bool = True,
    ) -> Measure:
        measure = Measure(name, value, unit, target, higher_is_better)
        self.measures.append(measure)
        return measure

    @property
    def met(self) -> bool:
        return all(m.met is not False for m in self.measures)
