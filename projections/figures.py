"""Every headline figure as one object, and every reference point and threshold written once.

A `Figure` says how to read its value from the SPEC section 4 metrics object, how it reads, how much
evidence it rests on, how it compares between two windows, and which `Reference` goes with it. A
`Reference` holds the research (or design) figures it names, the threshold for showing it, and its texts:
those live in `content/references.md`, one section per reference, with the figures filled in from here.
The overview cards, the command line's table, the charts and the counselor report render these objects;
none of them restates a figure, a threshold or a reference point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from domain.vocabulary import CSI4_CUTOFF
from projections.formatting import change_since, pct, per_one, points_since
from projections.metrics import HALF_LIFE

__all__ = [
    "CSI4_CUTOFF",
    "FIGURES",
    "MIN_BIDS_FOR_REFERENCE",
    "MIN_TRUST_WEIGHT",
    "POSITIVE_PER_NEGATIVE",
    "REFERENCES",
    "TOO_LITTLE",
    "TURN_TOWARD_DIVORCED",
    "TURN_TOWARD_STAYED",
    "Change",
    "Figure",
    "Reference",
    "change",
    "enough_bids",
    "pooled",
    "trust_known",
]

# SPEC section 7: the bids and positive-to-negative references only when the window holds this many bids.
MIN_BIDS_FOR_REFERENCE: Final = 10
# SPEC section 4: a trust-consistency score resting on less evidence weight is "too little to say".
MIN_TRUST_WEIGHT: Final = 1.0
TOO_LITTLE: Final = "too little to say"
TURN_TOWARD_STAYED: Final = 0.86  # Gottman's newlyweds still together six years later
TURN_TOWARD_DIVORCED: Final = 0.33  # Gottman's newlyweds divorced six years later
POSITIVE_PER_NEGATIVE: Final = 5.0  # stable couples, about five positive moments to one negative (Gottman)
HALF_LIFE_DAYS: Final = HALF_LIFE.days  # trust consistency's own design, not a research figure


def enough_bids(total_bids: int) -> bool:
    """Whether a window with this many bids may show the bids and positive-to-negative references."""
    return total_bids >= MIN_BIDS_FOR_REFERENCE


def trust_known(weight: float) -> bool:
    """Whether a trust-consistency score rests on enough evidence to be shown as a number."""
    return weight >= MIN_TRUST_WEIGHT


# --------------------------------------------------------------------------------------------------
# Reference points and their texts (content/references.md)
# --------------------------------------------------------------------------------------------------
_SECTION = re.compile(r"^## (\S+)\s*$")
_PART = re.compile(r"^### (\S+)\s*$")


@cache
def _texts() -> dict[str, dict[str, str]]:
    """The parts of `content/references.md`: {section: {part: one paragraph}}."""
    source = resources.files("content").joinpath("references.md").read_text(encoding="utf-8")
    texts: dict[str, dict[str, str]] = {}
    section: dict[str, list[str]] | None = None
    lines: list[str] | None = None
    parts: dict[str, dict[str, list[str]]] = {}
    for line in source.splitlines():
        if heading := _SECTION.match(line):
            section, lines = parts.setdefault(heading[1], {}), None
        elif (heading := _PART.match(line)) and section is not None:
            lines = section.setdefault(heading[1], [])
        elif lines is not None and line.strip():
            lines.append(line.strip())
    for key, named in parts.items():
        texts[key] = {name: " ".join(words) for name, words in named.items()}
    return texts


@dataclass(frozen=True)
class Reference:
    """A figure's reference point: the figures it names (formatted), the minimum bids in the window for
    showing it (None: always shown) and its texts, each a part of its section of the content file."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)
    min_bids: int | None = None
    lines: tuple[tuple[float, str], ...] = ()  # a chart's reference lines: (value, part of its label)

    def shown(self, total_bids: int) -> bool:
        return self.min_bids is None or total_bids >= self.min_bids

    def text(self, part: str, **more: Any) -> str:
        """One of its texts, with its figures (and any `more` values, such as a count) filled in."""
        values = {"min_bids": str(MIN_BIDS_FOR_REFERENCE), **self.values, **more}
        return _texts()[self.key][part].format(**values)

    @property
    def source(self) -> str:
        return self.text("source")

    def chart_lines(self) -> list[tuple[float, str]]:
        """The reference lines a chart draws: each value with its label."""
        return [(value, self.text(part)) for value, part in self.lines]


REFERENCES: Final = {
    "turn_toward": Reference(
        "turn_toward",
        {"stayed": pct(TURN_TOWARD_STAYED), "divorced": pct(TURN_TOWARD_DIVORCED)},
        MIN_BIDS_FOR_REFERENCE,
        ((TURN_TOWARD_STAYED, "line_stayed"), (TURN_TOWARD_DIVORCED, "line_divorced")),
    ),
    "positive_negative": Reference(
        "positive_negative",
        {"per_negative": f"{POSITIVE_PER_NEGATIVE:g}", "balance": per_one(POSITIVE_PER_NEGATIVE)},
        MIN_BIDS_FOR_REFERENCE,
    ),
    "proxies": Reference("proxies"),
    "csi4": Reference("csi4", {"cutoff": f"{CSI4_CUTOFF:g}"}, None, ((CSI4_CUTOFF, "line"),)),
    "trust_consistency": Reference(
        "trust_consistency", {"half_life": str(HALF_LIFE_DAYS), "min_weight": f"{MIN_TRUST_WEIGHT:g}"}
    ),
    "rates": Reference("rates"),
}


# --------------------------------------------------------------------------------------------------
# The headline figures
# --------------------------------------------------------------------------------------------------
def pooled(by_partner: Mapping[str, Mapping[str, Any]], mean: str, count: str) -> float | None:
    """The mean over both partners from each partner's mean and count."""
    parts = [(p[mean], p[count]) for p in by_partner.values() if p[mean] is not None and p[count]]
    total = sum(n for _, n in parts)
    return sum(m * n for m, n in parts) / total if total else None


Metrics = Mapping[str, Any]


@dataclass(frozen=True)
class Figure:
    """One headline figure: how to read it from a metrics object and how to compare two of them."""

    key: str
    label: str  # inside a sentence ("repair acceptance")
    value: Callable[[Metrics], float | None]  # the couple's figure
    evidence: Callable[[Metrics], int]  # how much the figure rests on
    min_evidence: int  # the least evidence on both sides for a change to be worth saying
    step: float  # the smallest change worth a mention
    higher_is_better: bool
    show_change: Callable[[float, float], str]  # (now, before) -> text
    reference: Reference | None = None


def _trust_value(m: Metrics) -> float | None:
    trust = m["trust_consistency"]
    return float(trust["score"]) if trust_known(trust["weight"]) else None


def _plain(digits: int) -> Callable[[float, float], str]:
    return lambda now, before: change_since(now, before, digits)


def _rate(
    key: str,
    label: str,
    value: Callable[[Metrics], float | None],
    evidence: Callable[[Metrics], int],
    min_evidence: int = 3,
    reference: str = "rates",
) -> Figure:
    """A rate (higher is better): a change of ten points is worth a mention, said in points."""
    return Figure(key, label, value, evidence, min_evidence, 0.10, True, points_since, REFERENCES[reference])


def _rating(key: str, label: str, mean: str) -> Figure:
    """A mean check-in rating pooled over both partners (higher is better), resting on the check-ins."""
    return Figure(
        key,
        label,
        lambda m: pooled(m["check_ins"]["by_partner"], mean, "count"),
        lambda m: m["check_ins"]["count"],
        2,
        0.5,
        True,
        _plain(1),
    )


def _count(key: str, label: str, value: Callable[[Metrics], float | None]) -> Figure:
    """A count (lower is better) that always rests on enough: a change of two is worth a mention."""
    return Figure(key, label, value, lambda m: 1, 1, 2.0, False, _plain(0))


FIGURES: Final[tuple[Figure, ...]] = (
    _rate(
        "repair",
        "repair acceptance",
        lambda m: m["repair"]["acceptance_rate"],
        lambda m: m["repair"]["accepted"] + m["repair"]["declined"],
    ),
    _rate(
        "promises", "promise keeping", lambda m: m["promises"]["keeping_rate"], lambda m: m["promises"]["due"]
    ),
    Figure(
        "trust",
        "trust consistency",
        _trust_value,
        lambda m: 1 if trust_known(m["trust_consistency"]["weight"]) else 0,
        1,
        5.0,
        True,
        _plain(0),
        REFERENCES["trust_consistency"],
    ),
    _rating("closeness", "closeness ratings", "mean_closeness"),
    _rating("trust_rating", "trust ratings", "mean_trust"),
    Figure(
        "csi4",
        "CSI-4 satisfaction",
        lambda m: pooled(m["check_ins"]["by_partner"], "mean_csi4", "csi4_count"),
        lambda m: sum(p["csi4_count"] for p in m["check_ins"]["by_partner"].values()),
        2,
        1.0,
        True,
        _plain(1),
        REFERENCES["csi4"],
    ),
    _rate(
        "bids",
        "turning toward bids",
        lambda m: m["bids"]["turn_toward_rate"],
        lambda m: m["bids"]["total"],
        MIN_BIDS_FOR_REFERENCE,
        "turn_toward",
    ),
    Figure(
        "balance",
        "positive-to-negative balance",
        lambda m: m["positive_negative"]["ratio"],
        lambda m: m["positive_negative"]["negative"],
        2,
        1.0,
        True,
        _plain(1),
        REFERENCES["positive_negative"],
    ),
    _count("conflicts", "conflicts started", lambda m: float(m["conflicts"]["started"])),
    _count(
        "horsemen", "horsemen named in conflicts", lambda m: float(sum(m["conflicts"]["horsemen"].values()))
    ),
)
FIGURE: Final = {figure.key: figure for figure in FIGURES}


@dataclass(frozen=True)
class Change:
    text: str
    direction: str  # "better", "worse" or "same"


def change(figure: Figure, now: Metrics, before: Metrics | None) -> Change | None:
    """How a figure moved between the two windows, when both rest on enough to say."""
    if before is None:
        return None
    a, b = figure.value(now), figure.value(before)
    if a is None or b is None:
        return None
    if figure.evidence(now) < figure.min_evidence or figure.evidence(before) < figure.min_evidence:
        return None
    delta = a - b
    if abs(delta) < figure.step:
        direction = "same"
    else:
        direction = "better" if (delta > 0) == figure.higher_is_better else "worse"
    return Change(figure.show_change(a, b), direction)
