"""The counselor's caseload (SPEC section 10): one row per couple, as of T over a window of W days, with
the flags that ask for a counselor's attention, each next to the sentence of the spec it implements.

All the couples are computed together: one query fetches the live rows the flags read of every couple
asked about (every promise entry, since trust consistency reads them all; the attempts, outcomes,
conflicts and check-ins after T - 2W, since an outcome never comes before its attempt), one aggregate
gives each couple's last entry, and a few polars passes compute what the flags read, per couple. The
SPEC section 4 pieces reuse
`projections.metrics.Metrics` over those rows: entry ids are made unique across couples (prefixed by the
couple's number) and the `actor` column holds the couple's number, so the metrics' repair attempts,
promise states and trust scores come out per couple in one pass. The partner of an entry is kept in
`partner`.

Readings where SPEC section 10 is silent: `last_entry_at` is the latest `occurred_at` among the entries
that exist as of T other than `couple_registered` and `entry_retracted` (the entries `quiet` looks at);
`csi4_latest` is each partner's latest CSI-4 total in the window (the one `csi4_below_cutoff` reads; a tie
in `occurred_at` goes to the one recorded later), null when the window holds none; `trust_consistency` is
the couple's score as of T even when its weight is below 1 (the screen says "too little to say").

The reasons are data: `content/flags.md`, one section per flag. The thresholds are written here, once;
the CSI-4 cut-off and the trust score's minimum weight have their homes in `domain.vocabulary` and
`projections.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, Final

import polars as pl

from domain.vocabulary import CSI4_CUTOFF, ENTRY_TYPES, REPAIR_OUTCOMES
from projections.figures import trust_known
from projections.metrics import DAY, CoupleInfo, Metrics, iso_utc, naive_utc
from projections.readmodel import View

__all__ = [
    "CSI4_FALL_POINTS",
    "FLAGS",
    "MIN_ANSWERED",
    "MIN_LAPSED",
    "QUIET_SPAN",
    "REPAIRS_DECLINED_BELOW",
    "TRUST_FALL_POINTS",
    "TRUST_LOOKBACK",
    "Signals",
    "caseload",
    "flags_of",
    "reason",
    "rows_of",
]

# ------------------------------------------------------------------------------------------------
# The thresholds, written once.
# ------------------------------------------------------------------------------------------------
CSI4_FALL_POINTS: Final = 3  # our own threshold: no reliable-change figure for the CSI-4 is published
TRUST_FALL_POINTS: Final = 10  # points of trust consistency lost ...
TRUST_LOOKBACK: Final = timedelta(days=14)  # ... since this long before T
MIN_LAPSED: Final = 2  # promises lapsed in the window
REPAIRS_DECLINED_BELOW: Final = 0.5  # acceptance rate ...
MIN_ANSWERED: Final = 4  # ... over at least this many answered attempts
QUIET_SPAN: Final = timedelta(days=14)  # no entry in (T - span, T]
NOT_LOGGED: Final = ("couple_registered", "entry_retracted")  # not "entries" for quiet and last_entry_at
PROMISE_TYPES: Final = tuple(t for t in ENTRY_TYPES if t.startswith("promise_"))
# Besides the promises, the entries the flags read (outcomes never come before their attempt).
READ_TYPES: Final = ("repair_offered", *REPAIR_OUTCOMES, "conflict_started", "check_in")

# The columns of the `live` view the caseload reads (besides the couple's number, added by the query).
COLUMNS = (
    "e.position, e.type, e.occurred_at, e.due_at, e.contempt, e.actor AS partner, "
    "e.csi4_1 + e.csi4_2 + e.csi4_3 + e.csi4_4 AS csi4_total"
)


# ------------------------------------------------------------------------------------------------
# What the flags read, per couple.
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signals:
    """One couple's figures as of T over the window, as the flags read them. Per-partner values are keyed
    by partner handle and hold both handles. A CSI-4 window is (sum of totals, how many totals)."""

    handle: str
    names: tuple[str, str]
    partners: tuple[str, str]
    window_days: int
    last_entry_at: datetime | None  # naive UTC
    as_of: datetime  # naive UTC
    csi4_latest: Mapping[str, int | None]
    csi4_now: Mapping[str, tuple[int, int]]
    csi4_before: Mapping[str, tuple[int, int]]
    contempt: int  # conflicts started in the window that name contempt
    lapsed: int
    due: int
    kept: int
    accepted: int
    declined: int
    trust_now: float
    weight_now: float
    trust_before: float

    def name_of(self, handles: Iterable[str]) -> str:
        named = [self.names[self.partners.index(h)] for h in handles]
        return " and ".join(named)


@dataclass(frozen=True)
class Flag:
    name: str
    raised: Callable[[Signals], bool]
    values: Callable[[Signals], Mapping[str, Any]]  # what its sentence fills in


def _below_cutoff(s: Signals) -> list[str]:
    """csi4_below_cutoff: a partner's latest CSI-4 total in the window (by occurred_at) is below 13.5."""
    return [h for h in s.partners if (total := s.csi4_latest[h]) is not None and total < CSI4_CUTOFF]


def _falling_csi4(s: Signals) -> list[str]:
    """csi4_falling: a partner's mean CSI-4 in the window is at least 3 points below their mean in the W
    days before it, (T - 2W, T - W] (both windows hold that partner's CSI-4 answers). Compared exactly,
    in integers: now/n <= before/m - points."""
    found = []
    for h in s.partners:
        (now, n), (before, m) = s.csi4_now[h], s.csi4_before[h]
        if n and m and now * m + CSI4_FALL_POINTS * n * m <= before * n:
            found.append(h)
    return found


def _contempt(s: Signals) -> bool:
    """contempt: contempt was named on at least one conflict started in the window."""
    return s.contempt > 0


def _lapsing(s: Signals) -> bool:
    """promises_lapsing: at least 2 promises lapsed in the window."""
    return s.lapsed >= MIN_LAPSED


def _trust_falling(s: Signals) -> bool:
    """trust_falling: trust consistency as of T is at least 10 points below its value as of T - 14 days,
    and its weight as of T is at least 1."""
    return s.trust_before - s.trust_now >= TRUST_FALL_POINTS and trust_known(s.weight_now)


def _acceptance(s: Signals) -> float | None:
    answered = s.accepted + s.declined
    return s.accepted / answered if answered else None


def _declined(s: Signals) -> bool:
    """repairs_declined: the acceptance rate is below 0.5 with at least 4 attempts answered."""
    rate = _acceptance(s)
    return rate is not None and s.accepted + s.declined >= MIN_ANSWERED and rate < REPAIRS_DECLINED_BELOW


def _quiet(s: Signals) -> bool:
    """quiet: no entry that exists as of T (other than couple_registered and entry_retracted) has
    occurred_at in (T - 14 days, T]."""
    return s.last_entry_at is None or s.last_entry_at <= s.as_of - QUIET_SPAN


def _points(value: float) -> str:
    return f"{value:.0f}"


FLAGS: Final[tuple[Flag, ...]] = (
    Flag(
        "csi4_below_cutoff", lambda s: bool(_below_cutoff(s)), lambda s: {"who": s.name_of(_below_cutoff(s))}
    ),
    Flag(
        "csi4_falling",
        lambda s: bool(_falling_csi4(s)),
        lambda s: {"who": s.name_of(_falling_csi4(s)), "window": s.window_days},
    ),
    Flag("contempt", _contempt, lambda s: {}),
    Flag("promises_lapsing", _lapsing, lambda s: {"lapsed": s.lapsed}),
    Flag(
        "trust_falling",
        _trust_falling,
        lambda s: {
            "drop": _points(s.trust_before - s.trust_now),
            "now": _points(s.trust_now),
            "before": _points(s.trust_before),
        },
    ),
    Flag(
        "repairs_declined", _declined, lambda s: {"accepted": s.accepted, "answered": s.accepted + s.declined}
    ),
    Flag("quiet", _quiet, lambda s: {}),
)
FLAG_NAMES: Final = tuple(flag.name for flag in FLAGS)

# ------------------------------------------------------------------------------------------------
# The reasons (content/flags.md).
# ------------------------------------------------------------------------------------------------
_SECTION = re.compile(r"^## (\S+)\s*$")


@cache
def _sentences() -> dict[str, str]:
    """`content/flags.md` as {flag: its text, lines joined}."""
    source = resources.files("content").joinpath("flags.md").read_text(encoding="utf-8")
    parts: dict[str, list[str]] = {}
    lines: list[str] | None = None
    for line in source.splitlines():
        if heading := _SECTION.match(line):
            lines = parts.setdefault(heading[1], [])
        elif lines is not None and line.strip():
            lines.append(line.strip())
    return {name: " ".join(words) for name, words in parts.items()}


def _figures() -> dict[str, str]:
    """The thresholds a reason may name."""
    return {
        "cutoff": f"{CSI4_CUTOFF:g}",
        "fall_points": str(CSI4_FALL_POINTS),
        "lookback": str(TRUST_LOOKBACK.days),
        "quiet": str(QUIET_SPAN.days),
    }


def reason(flag: str, **values: Any) -> str:
    """The plain-language reason of a flag, with its figures and the couple's values filled in."""
    return _sentences()[flag].format(**_figures(), **{k: str(v) for k, v in values.items()})


def flags_of(signals: Signals) -> tuple[list[str], dict[str, str]]:
    """The flags raised for one couple, in the order of SPEC section 10, with their reasons."""
    raised = [flag for flag in FLAGS if flag.raised(signals)]
    return [f.name for f in raised], {f.name: reason(f.name, **f.values(signals)) for f in raised}


def row_of(signals: Signals) -> dict[str, Any]:
    """One row of the caseload (SPEC section 10)."""
    flags, reasons = flags_of(signals)
    return {
        "couple": signals.handle,
        "names": list(signals.names),
        "last_entry_at": None if signals.last_entry_at is None else iso_utc(_aware(signals.last_entry_at)),
        "flags": flags,
        "reasons": reasons,
        "csi4_latest": dict(signals.csi4_latest),
        "trust_consistency": signals.trust_now,
        "acceptance_rate": _acceptance(signals),
        "keeping_rate": signals.kept / signals.due if signals.due else None,
    }


def rows_of(signals: Iterable[Signals]) -> list[dict[str, Any]]:
    """The rows, those with more flags first, then by couple handle."""
    rows = [row_of(s) for s in signals]
    return sorted(rows, key=lambda r: (-len(r["flags"]), r["couple"]))


def _aware(naive: datetime) -> datetime:
    return naive.replace(tzinfo=UTC)


# ------------------------------------------------------------------------------------------------
# Computing the signals of every couple at once.
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Member:
    number: int
    handle: str
    partners: tuple[str, str]
    names: tuple[str, str]


def _members(view: View, handles: Sequence[str]) -> list[_Member]:
    """The registered couples among the handles, numbered in handle order (unknown handles left out)."""
    wanted = {str(view.couple_id(h)): h for h in sorted(set(handles))}
    found = view.con.execute(
        "SELECT CAST(couple_id AS VARCHAR), partner_a, partner_b, name_a, name_b FROM couples "
        "WHERE couple_id IN (SELECT CAST(unnest(?) AS UUID))",
        [list(wanted)],
    ).fetchall()
    opened = view.sealer.open
    by_handle = {
        wanted[r[0]]: (
            (str(opened(r[1])), str(opened(r[2]))),
            (str(opened(r[3])), str(opened(r[4]))),
        )
        for r in found
    }
    return [_Member(i, handle, *by_handle[handle]) for i, handle in enumerate(sorted(by_handle))]


def fetch(
    view: View, members: Sequence[_Member], as_of: datetime, since: datetime, types: Sequence[str]
) -> pl.DataFrame:
    """The live rows of every member with occurred_at <= T that a caseload reads, in one query: every
    promise entry (trust consistency reads them all), and the entries of `types` with occurred_at after
    `since`. The couple's number as `couple` and as `actor`, entry ids (and refs) prefixed by it, the
    entry's partner as `partner`."""
    schema = {"couple": pl.Int64}
    if not members:
        return pl.DataFrame(schema=schema)
    relation = view.con.sql(
        f"""
        WITH k AS (SELECT CAST(unnest($ids) AS UUID) AS couple_id, unnest($numbers) AS couple)
        SELECT k.couple, k.couple AS actor, k.couple || ':' || e.entry_id AS entry_id,
               k.couple || ':' || e.ref AS ref, {COLUMNS}
        FROM live e JOIN k ON k.couple_id = e.couple_id
        WHERE e.occurred_at <= $as_of
          AND (e.type IN (SELECT unnest($promises))
               OR (e.occurred_at > $since AND e.type IN (SELECT unnest($types))))
        """,
        params={
            "ids": _ids(view, members),
            "numbers": [m.number for m in members],
            "as_of": naive_utc(as_of),
            "since": naive_utc(since),
            "promises": list(PROMISE_TYPES),
            "types": list(types),
        },
    )
    frame = pl.from_arrow(relation.to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def last_entries(view: View, members: Sequence[_Member], as_of: datetime) -> dict[int, datetime]:
    """{couple's number: the latest occurred_at <= T among its live entries other than
    couple_registered and entry_retracted}, for the members that have one."""
    if not members:
        return {}
    found = view.con.execute(
        """
        WITH k AS (SELECT CAST(unnest($ids) AS UUID) AS couple_id, unnest($numbers) AS couple)
        SELECT k.couple, max(e.occurred_at) FROM live e JOIN k ON k.couple_id = e.couple_id
        WHERE e.occurred_at <= $as_of AND e.type NOT IN (SELECT unnest($skipped))
        GROUP BY k.couple
        """,
        {
            "ids": _ids(view, members),
            "numbers": [m.number for m in members],
            "as_of": naive_utc(as_of),
            "skipped": list(NOT_LOGGED),
        },
    ).fetchall()
    return {int(number): last for number, last in found}


def _ids(view: View, members: Sequence[_Member]) -> list[str]:
    return [str(view.couple_id(m.handle)) for m in members]


def signals(view: View, handles: Sequence[str], as_of: datetime, window_days: int) -> list[Signals]:
    """Every registered couple's signals as of T over the window."""
    members = _members(view, handles)
    if not members:
        return []
    since = naive_utc(as_of) - 2 * window_days * DAY  # the CSI-4 windows reach back 2W
    rows = fetch(view, members, as_of, since, READ_TYPES)
    return signals_of(rows, last_entries(view, members, as_of), members, as_of, window_days)


def signals_of(
    rows: pl.DataFrame,
    last: Mapping[int, datetime],
    members: Sequence[_Member],
    as_of: datetime,
    window_days: int,
) -> list[Signals]:
    metrics = Metrics(rows, CoupleInfo("caseload", "UTC", ("", "")), as_of, window_days)
    t, start = metrics.T, metrics.start
    by_couple: dict[str, dict[int, Any]] = {}

    def keep(name: str, frame: pl.DataFrame, column: str, key: str = "actor") -> None:
        by_couple[name] = dict(zip(frame[key].to_list(), frame[column].to_list(), strict=True))

    # Repair: attempts offered in the window, outcome by T.
    answered = (
        metrics.attempts()
        .filter(metrics.in_window())
        .group_by("actor")
        .agg(
            (pl.col("outcome") == "repair_accepted").sum().alias("accepted"),
            (pl.col("outcome") == "repair_declined").sum().alias("declined"),
        )
    )
    keep("accepted", answered, "accepted")
    keep("declined", answered, "declined")
    # Promises due in the window as of T: kept, broken, lapsed.
    states = metrics.promise_states(pl.DataFrame({"ref_id": [0], "R": [t]}))
    promised = (
        states.filter(metrics.in_window("due"))
        .group_by("actor")
        .agg(pl.len().alias("due"), pl.col("kept").sum(), pl.col("broken").sum())
        .with_columns((pl.col("due") - pl.col("kept") - pl.col("broken")).alias("lapsed"))
    )
    for name in ("due", "kept", "lapsed"):
        keep(name, promised, name)
    # Trust consistency as of T and as of T - 14 days (the metrics' own scores, per couple).
    refs = pl.DataFrame({"ref_id": [0, 1], "R": [t, t - TRUST_LOOKBACK]})
    trust = metrics.trust_scores(refs).filter(pl.col("actor").is_not_null())
    now, before = trust.filter(pl.col("ref_id") == 0), trust.filter(pl.col("ref_id") == 1)
    keep("trust_now", now, "score")
    keep("weight_now", now, "w")
    keep("trust_before", before, "score")
    # Contempt named on conflicts started in the window.
    contempt = (
        metrics.of_type("conflict_started")
        .filter(metrics.in_window() & pl.col("contempt"))
        .group_by("actor")
        .len()
    )
    keep("contempt", contempt, "len")
    csi4 = _csi4(metrics.of_type("check_in"), t, start, window_days)

    def of(name: str, number: int, empty: Any) -> Any:
        return by_couple[name].get(number, empty)

    result = []
    for m in members:
        n = m.number
        result.append(
            Signals(
                handle=m.handle,
                names=m.names,
                partners=m.partners,
                window_days=window_days,
                last_entry_at=last.get(n),
                as_of=t,
                csi4_latest={h: csi4["latest"].get((n, i)) for i, h in enumerate(m.partners)},
                csi4_now={h: csi4["now"].get((n, i), (0, 0)) for i, h in enumerate(m.partners)},
                csi4_before={h: csi4["before"].get((n, i), (0, 0)) for i, h in enumerate(m.partners)},
                contempt=int(of("contempt", n, 0)),
                lapsed=int(of("lapsed", n, 0)),
                due=int(of("due", n, 0)),
                kept=int(of("kept", n, 0)),
                accepted=int(of("accepted", n, 0)),
                declined=int(of("declined", n, 0)),
                trust_now=float(of("trust_now", n, 50.0)),  # "50 with no history"
                weight_now=float(of("weight_now", n, 0.0)),
                trust_before=float(of("trust_before", n, 50.0)),
            )
        )
    return result


def _csi4(check_ins: pl.DataFrame, t: datetime, start: datetime, window_days: int) -> dict[str, Any]:
    """Per (couple, partner): the latest CSI-4 total in the window (by occurred_at; a tie goes to the one
    recorded later), and (sum, count) of the totals in the window and in the W days before it."""
    answered = check_ins.filter(pl.col("csi4_total").is_not_null())
    earlier = start - window_days * DAY
    now = answered.filter((pl.col("occurred_at") > start) & (pl.col("occurred_at") <= t))
    before = answered.filter((pl.col("occurred_at") > earlier) & (pl.col("occurred_at") <= start))
    latest = now.sort("occurred_at", "position").group_by("actor", "partner").agg(pl.col("csi4_total").last())

    def sums(frame: pl.DataFrame) -> dict[tuple[int, int], tuple[int, int]]:
        grouped = frame.group_by("actor", "partner").agg(pl.col("csi4_total").sum().alias("s"), pl.len())
        return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in grouped.iter_rows()}

    return {
        "latest": {(r[0], r[1]): int(r[2]) for r in latest.iter_rows()},
        "now": sums(now),
        "before": sums(before),
    }


def caseload(view: View, handles: Sequence[str], as_of: datetime, window_days: int) -> list[dict[str, Any]]:
    """The caseload of SPEC section 10 over the given couples (unknown handles left out)."""
    return rows_of(signals(view, handles, as_of, window_days))
