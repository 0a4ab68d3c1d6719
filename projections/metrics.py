"""The metrics of SPEC section 4, each defined once, next to the sentence of the spec it implements.

Input: the live entries of one couple with `occurred_at <= T` (retracted ones never exist, whenever the
retraction happened), as a polars frame with UTC times. Output: the machine-readable object of SPEC
section 4. Day and week edges are computed in Python with `zoneinfo` (the pinned `tzdata`) and handed to
polars as UTC instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from domain.vocabulary import CSI4_CUTOFF, HORSEMEN

DAY = timedelta(days=1)
HALF_LIFE = timedelta(days=14)  # our design choice for trust consistency, not a research figure
RECURRING_SPAN = timedelta(days=30)  # "in the 30 days up to T, whatever W is"
RECURRING_MIN = 3
MICRO = timedelta(microseconds=1)

# The columns `compute` needs from the `live` view.
COLUMNS = (
    "position, entry_id, type, occurred_at, actor, ref, due_at, topic, topic_key, "
    "criticism, contempt, defensiveness, stonewalling, response, closeness, trust, "
    "csi4_1 + csi4_2 + csi4_3 + csi4_4 AS csi4_total"
)


@dataclass(frozen=True)
class CoupleInfo:
    handle: str
    timezone: str
    partners: tuple[str, str]  # handles, the partner listed first at registration first


def iso_utc(moment: datetime) -> str:
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _rate(part: int, whole: int) -> float | None:
    """A rate over nothing is null."""
    return part / whole if whole else None


def _mean(series: pl.Series) -> float | None:
    values = series.drop_nulls()
    return float(values.mean()) if len(values) else None  # type: ignore[arg-type]


class Metrics:
    """Metrics of one couple as of T over a window of W days."""

    def __init__(
        self,
        rows: pl.DataFrame,
        couple: CoupleInfo,
        as_of: datetime,
        window_days: int,
        open_topic: Any = None,
    ) -> None:
        self.couple = couple
        self.as_of = as_of.astimezone(UTC)
        self.T = naive_utc(as_of)
        self.window_days = window_days
        # "The window is (T - W x 24 h, T]: open at its start, closed at T, in exact 24-hour days."
        self.start = self.T - window_days * DAY
        self.rows = rows
        self.zone = ZoneInfo(couple.timezone)
        self.open_topic = open_topic or (lambda sealed: sealed)
        self._of_type: dict[str, pl.DataFrame] = {}

    # ------------------------------------------------------------------------------------------
    def of_type(self, *types: str) -> pl.DataFrame:
        key = ",".join(types)
        if key not in self._of_type:
            self._of_type[key] = self.rows.filter(pl.col("type").is_in(types))
        return self._of_type[key]

    def in_window(self, column: str = "occurred_at") -> pl.Expr:
        return (pl.col(column) > self.start) & (pl.col(column) <= self.T)

    def per_partner(self, values: dict[int, Any], empty: Any) -> dict[str, Any]:
        """'Per partner' objects always hold both handles."""
        return {handle: values.get(i, empty) for i, handle in enumerate(self.couple.partners)}

    # ------------------------------------------------------------------------------------------
    def attempts(self) -> pl.DataFrame:
        """Repair attempts with their outcome by T (at most one live outcome exists)."""
        outcomes = self.of_type("repair_accepted", "repair_declined").select(
            pl.col("ref").alias("entry_id"),
            pl.col("type").alias("outcome"),
            pl.col("occurred_at").alias("answered_at"),
        )
        return (
            self.of_type("repair_offered")
            .select("entry_id", "actor", "occurred_at", pl.col("ref").alias("conflict"))
            .join(outcomes, on="entry_id", how="left")
        )

    def repair(self) -> dict[str, Any]:
        """Repair -- attempts *offered* in the window. `accepted`/`declined`: outcome by T; `pending`: no
        outcome by T. `acceptance_rate = accepted / (accepted + declined)`. Per partner: attempts that
        partner offered (so the rate says how often the *other* accepted them)."""
        offered = self.attempts().filter(self.in_window())

        def counts(frame: pl.DataFrame) -> dict[str, Any]:
            accepted = int((frame["outcome"] == "repair_accepted").sum())
            declined = int((frame["outcome"] == "repair_declined").sum())
            return {
                "offered": frame.height,
                "accepted": accepted,
                "declined": declined,
                "pending": frame.height - accepted - declined,
                "acceptance_rate": _rate(accepted, accepted + declined),
            }

        result = counts(offered)
        result["by_partner"] = {
            handle: counts(offered.filter(pl.col("actor") == i))
            for i, handle in enumerate(self.couple.partners)
        }
        return result

    # ------------------------------------------------------------------------------------------
    def promise_states(self, refs: pl.DataFrame) -> pl.DataFrame:
        """Every promise that exists and is not released as of each reference time R in `refs`
        (columns `ref_id`, `R`), with its *current due time* as of R -- the `due_at` of its
        renegotiation with the latest `occurred_at` <= R (ties: the one recorded later), or its own
        `due_at` when there is none -- and its outcome if recorded by R."""
        made = self.of_type("promise_made").select(
            pl.col("entry_id").alias("promise"),
            "actor",
            pl.col("occurred_at").alias("made_at"),
            pl.col("due_at").alias("due0"),
        )
        released = self.of_type("promise_released").select(
            pl.col("ref").alias("promise"), pl.col("occurred_at").alias("released_at")
        )
        renegotiated = self.of_type("promise_renegotiated").select(
            pl.col("ref").alias("promise"),
            pl.col("occurred_at").alias("reneg_at"),
            pl.col("position").alias("reneg_pos"),
            pl.col("due_at").alias("new_due"),
        )
        settled = self.of_type("promise_kept", "promise_broken").select(
            pl.col("ref").alias("promise"),
            pl.col("type").alias("outcome"),
            pl.col("occurred_at").alias("settled_at"),
        )
        states = (
            made.join(refs, how="cross")
            .filter(pl.col("made_at") <= pl.col("R"))
            .join(released, on="promise", how="left")
            .filter(pl.col("released_at").is_null() | (pl.col("released_at") > pl.col("R")))
        )
        if renegotiated.height:
            current = (
                renegotiated.join(refs, how="cross")
                .filter(pl.col("reneg_at") <= pl.col("R"))
                .sort("reneg_at", "reneg_pos")
                .group_by("ref_id", "promise")
                .agg(pl.col("new_due").last())
            )
            states = states.join(current, on=["ref_id", "promise"], how="left")
        else:
            states = states.with_columns(pl.lit(None, pl.Datetime("us")).alias("new_due"))
        settled_by_r = pl.col("settled_at").is_not_null() & (pl.col("settled_at") <= pl.col("R"))
        return (
            states.join(settled, on="promise", how="left")
            .with_columns(
                pl.coalesce("new_due", "due0").alias("due"),
                (settled_by_r & (pl.col("outcome") == "promise_kept")).alias("kept"),
                (settled_by_r & (pl.col("outcome") == "promise_broken")).alias("broken"),
            )
            .with_columns(
                (pl.col("kept") & (pl.col("settled_at") > pl.col("due"))).alias("kept_late"),
            )
        )

    def promises(self) -> dict[str, Any]:
        """Promises -- non-released promises whose current due time lies in the window (and so is
        <= T). Each is `kept` (a keep by T, whenever it came relative to the due time), `broken` (a
        break by T), or `lapsed` (no outcome by T). `kept_late` counts the kept ones whose keep came
        after the due time. `keeping_rate = kept / (kept + broken + lapsed)`. `open`: non-released
        promises made by T, due after T, with no outcome by T. Per partner: promises that partner
        made."""
        states = self.promise_states(pl.DataFrame({"ref_id": [0], "R": [self.T]}))
        due = states.filter(self.in_window("due"))
        still_open = states.filter((pl.col("due") > self.T) & ~pl.col("kept") & ~pl.col("broken"))

        def counts(frame: pl.DataFrame, opened: pl.DataFrame) -> dict[str, Any]:
            kept = int(frame["kept"].sum())
            broken = int(frame["broken"].sum())
            return {
                "due": frame.height,
                "kept": kept,
                "kept_late": int(frame["kept_late"].sum()),
                "broken": broken,
                "lapsed": frame.height - kept - broken,
                "open": opened.height,
                "keeping_rate": _rate(kept, frame.height),
            }

        result = counts(due, still_open)
        result["by_partner"] = {
            handle: counts(due.filter(pl.col("actor") == i), still_open.filter(pl.col("actor") == i))
            for i, handle in enumerate(self.couple.partners)
        }
        return result

    # ------------------------------------------------------------------------------------------
    def trust_scores(self, refs: pl.DataFrame) -> pl.DataFrame:
        """Trust consistency (0-100) as of each R: over *every* non-released promise due at or before
        R: x = 1 if kept by R else 0, weight w = 0.5 ^ ((R - due) / 14 days).
        `score = 100 x (sum w.x + 1) / (sum w + 2)`; per partner over that partner's promises;
        `weight` is sum w. Returns one row per (ref_id, actor) with actor = null for the couple."""
        half_life = HALF_LIFE / MICRO
        due = self.promise_states(refs).filter(pl.col("due") <= pl.col("R"))
        weighted = due.with_columns(
            (
                pl.lit(0.5)
                ** ((pl.col("R") - pl.col("due")).dt.total_microseconds().cast(pl.Float64) / half_life)
            ).alias("w")
        ).with_columns((pl.col("w") * pl.col("kept").cast(pl.Float64)).alias("wx"))
        couple = weighted.group_by("ref_id").agg(pl.col("w").sum(), pl.col("wx").sum())
        partners = weighted.group_by("ref_id", "actor").agg(pl.col("w").sum(), pl.col("wx").sum())
        frames = [
            couple.with_columns(pl.lit(None, pl.UInt8).alias("actor")).select("ref_id", "actor", "w", "wx"),
            partners.select("ref_id", "actor", "w", "wx"),
        ]
        totals = pl.concat(frames, how="vertical_relaxed")  # actor: any integer type
        return totals.with_columns((100 * (pl.col("wx") + 1) / (pl.col("w") + 2)).alias("score"))

    def trust_consistency(self) -> dict[str, Any]:
        scores = self.trust_scores(pl.DataFrame({"ref_id": [0], "R": [self.T]}))
        found = {
            (None if row["actor"] is None else int(row["actor"])): (float(row["score"]), float(row["w"]))
            for row in scores.iter_rows(named=True)
        }
        nothing = (50.0, 0.0)  # "50 with no history"
        couple_score, couple_weight = found.get(None, nothing)
        return {
            "score": couple_score,
            "weight": couple_weight,
            "by_partner": self.per_partner({k: v[0] for k, v in found.items() if k is not None}, 50.0),
            "weight_by_partner": self.per_partner({k: v[1] for k, v in found.items() if k is not None}, 0.0),
        }

    # ------------------------------------------------------------------------------------------
    def check_ins(self) -> dict[str, Any]:
        """Check-ins -- in the window, per partner: `count`, `mean_closeness`, `mean_trust`,
        `csi4_count` (check-ins that carry CSI-4 answers), `mean_csi4` (mean of the CSI-4 totals, each
        the sum of the four answers, 0-21, over those) and `csi4_below_cutoff` (how many of those totals
        are below 13.5)."""
        window = self.of_type("check_in").filter(self.in_window())

        def summary(frame: pl.DataFrame) -> dict[str, Any]:
            totals = frame["csi4_total"].drop_nulls()
            return {
                "count": frame.height,
                "mean_closeness": _mean(frame["closeness"]),
                "mean_trust": _mean(frame["trust"]),
                "csi4_count": len(totals),
                "mean_csi4": _mean(totals),
                "csi4_below_cutoff": int((totals < CSI4_CUTOFF).sum()),
            }

        return {
            "count": window.height,
            "by_partner": {
                handle: summary(window.filter(pl.col("actor") == i))
                for i, handle in enumerate(self.couple.partners)
            },
        }

    def bids(self) -> dict[str, Any]:
        """Bids -- in the window: `toward`, `away`, `against`, `total`,
        `turn_toward_rate = toward / total`."""
        responses = self.of_type("bid_made").filter(self.in_window())["response"]
        toward = int((responses == "toward").sum())
        return {
            "total": len(responses),
            "toward": toward,
            "away": int((responses == "away").sum()),
            "against": int((responses == "against").sum()),
            "turn_toward_rate": _rate(toward, len(responses)),
        }

    def positive_negative(self, bids: dict[str, Any], horsemen: dict[str, int]) -> dict[str, Any]:
        """Positive to negative -- in the window: `positive` = appreciations + bids met toward;
        `negative` = bids met against + horsemen named on conflicts started (each horseman on each
        conflict counts 1); `ratio = positive / negative`."""
        appreciations = self.of_type("appreciation_expressed").filter(self.in_window()).height
        positive = appreciations + bids["toward"]
        negative = bids["against"] + sum(horsemen.values())
        return {"positive": positive, "negative": negative, "ratio": _rate(positive, negative)}

    def conflicts(self) -> dict[str, Any]:
        """Conflicts -- in the window: `started`, `resolved` (resolutions in the window), `horsemen`
        (count per horseman over conflicts started), `recurring_topics` (sorted topics with 3 or more
        conflicts started in the 30 days up to T, whatever W is: 30 x 24 h), `repaired` (conflicts
        started in the window that have an accepted attempt linked to them) and
        `median_minutes_to_repair` (over those: minutes from the conflict's start to the earliest
        acceptance among its attempts)."""
        conflicts = self.of_type("conflict_started")
        started = conflicts.filter(self.in_window())
        resolved = self.of_type("conflict_resolved").filter(self.in_window()).height
        horsemen = {name: int(started[name].sum()) for name in HORSEMEN}
        recent = conflicts.filter(pl.col("occurred_at") > self.T - RECURRING_SPAN)
        recurring = (
            recent.group_by("topic_key")
            .agg(pl.len().alias("n"), pl.col("topic").first())
            .filter(pl.col("n") >= RECURRING_MIN)
        )
        topics = sorted(str(self.open_topic(t)) for t in recurring["topic"].to_list())
        first_accept = (
            self.attempts()
            .filter((pl.col("outcome") == "repair_accepted") & pl.col("conflict").is_not_null())
            .group_by("conflict")
            .agg(pl.col("answered_at").min())
        )
        repaired = started.join(first_accept, left_on="entry_id", right_on="conflict", how="inner")
        minutes = (repaired["answered_at"] - repaired["occurred_at"]).dt.total_microseconds() / 60_000_000
        return {
            "started": started.height,
            "resolved": resolved,
            "horsemen": horsemen,
            "recurring_topics": topics,
            "repaired": repaired.height,
            "median_minutes_to_repair": float(minutes.median()) if len(minutes) else None,  # type: ignore[arg-type]
        }

    # ------------------------------------------------------------------------------------------
    def week_starts(self) -> list[date]:
        """Weekly series -- one row per week from the week of the earliest `occurred_at` among the
        couple's entries that exist as of T (other than `couple_registered` and `entry_retracted`) to
        the week containing T, gaps included (an empty list when there is no such entry)."""
        logged = self.rows.filter(~pl.col("type").is_in(["couple_registered", "entry_retracted"]))
        if logged.height == 0:
            return []
        earliest: datetime = logged["occurred_at"].min()  # type: ignore[assignment]
        first = self.monday_of(earliest)
        last = self.monday_of(self.T)
        return [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]

    def monday_of(self, naive: datetime) -> date:
        local = naive.replace(tzinfo=UTC).astimezone(self.zone).date()
        return local - timedelta(days=local.weekday())

    def week_start_utc(self, monday: date) -> datetime:
        """Monday 00:00 in the couple's time zone, as a naive UTC instant."""
        return naive_utc(datetime.combine(monday, time(0), self.zone))

    def weekly(self) -> list[dict[str, Any]]:
        mondays = self.week_starts()
        if not mondays:
            return []
        edges = [self.week_start_utc(m) for m in mondays]
        edges.append(self.week_start_utc(mondays[-1] + timedelta(weeks=1)))
        edge_values = np.array(edges, dtype="datetime64[us]")

        def week_of(column: str) -> pl.Expr:
            return pl.col(column).map_batches(
                lambda s: pl.Series(
                    np.searchsorted(edge_values, s.to_numpy().astype("datetime64[us]"), side="right") - 1,
                    dtype=pl.Int64,
                ),
                return_dtype=pl.Int64,
            )

        n = len(mondays)

        def count_by_week(frame: pl.DataFrame, column: str = "occurred_at") -> list[int]:
            weeks = frame.select(week_of(column).alias("w"))["w"].to_numpy()
            counts: list[int] = np.bincount(weeks, minlength=n)[:n].astype(int).tolist()
            return counts

        # Repairs by offer week, outcome by T.
        attempts = self.attempts()
        offered = count_by_week(attempts)
        accepted_ = count_by_week(attempts.filter(pl.col("outcome") == "repair_accepted"))
        declined_ = count_by_week(attempts.filter(pl.col("outcome") == "repair_declined"))
        # Promises by due week, due <= T, kept by T.
        states = self.promise_states(pl.DataFrame({"ref_id": [0], "R": [self.T]}))
        due_states = states.filter(pl.col("due") <= self.T)
        due_ = count_by_week(due_states, "due")
        kept_ = count_by_week(due_states.filter(pl.col("kept")), "due")
        # Check-ins, over both partners and per partner.
        check_ins = self.of_type("check_in").with_columns(week_of("occurred_at").alias("w"))

        def means(frame: pl.DataFrame) -> dict[int, dict[str, Any]]:
            grouped = frame.group_by("w").agg(
                pl.len().alias("check_ins"),
                pl.col("closeness").cast(pl.Float64).mean().alias("mean_closeness"),
                pl.col("trust").cast(pl.Float64).mean().alias("mean_trust"),
                pl.col("csi4_total").cast(pl.Float64).mean().alias("mean_csi4"),
            )
            return {int(row.pop("w")): row for row in grouped.iter_rows(named=True)}

        both = means(check_ins)
        per_partner = [means(check_ins.filter(pl.col("actor") == i)) for i in range(2)]
        conflicts = self.of_type("conflict_started").with_columns(
            pl.sum_horizontal(*(pl.col(h).cast(pl.Int64) for h in HORSEMEN)).alias("named")
        )
        started_ = count_by_week(conflicts)
        horsemen_weeks = conflicts.select(week_of("occurred_at").alias("w"), "named")
        horsemen_ = np.bincount(
            horsemen_weeks["w"].to_numpy(), weights=horsemen_weeks["named"].to_numpy(), minlength=n
        )[:n]
        bids = self.of_type("bid_made")
        bids_ = count_by_week(bids)
        toward_ = count_by_week(bids.filter(pl.col("response") == "toward"))
        appreciations_ = count_by_week(self.of_type("appreciation_expressed"))
        # Trust consistency as of the last instant of each week (for the week containing T, as of T).
        ends = [edge - MICRO for edge in edges[1:]]
        ends[-1] = self.T
        # Weeks ending before any promise could be due score 50 without computing (this keeps a stray,
        # very early entry from making a cross product of every promise with thousands of weeks).
        first_due = self.of_type("promise_made", "promise_renegotiated")["due_at"].min()
        scored = [k for k, end in enumerate(ends) if first_due is not None and end >= first_due]  # type: ignore[operator]
        trust = self.trust_scores(
            pl.DataFrame(
                {"ref_id": scored, "R": [ends[k] for k in scored]},
                schema={"ref_id": pl.Int64, "R": pl.Datetime("us")},
            )
        )
        trust_by_week = {
            int(r["ref_id"]): float(r["score"])
            for r in trust.filter(pl.col("actor").is_null()).iter_rows(named=True)
        }
        empty = {"check_ins": 0, "mean_closeness": None, "mean_trust": None, "mean_csi4": None}
        rows = []
        for k, monday in enumerate(mondays):
            week_means = both.get(k, empty)
            rows.append(
                {
                    "week_start": monday.isoformat(),
                    "repairs_offered": offered[k],
                    "repairs_accepted": accepted_[k],
                    "repairs_declined": declined_[k],
                    "acceptance_rate": _rate(accepted_[k], accepted_[k] + declined_[k]),
                    "promises_due": due_[k],
                    "promises_kept": kept_[k],
                    "keeping_rate": _rate(kept_[k], due_[k]),
                    "check_ins": int(week_means["check_ins"]),
                    "mean_closeness": week_means["mean_closeness"],
                    "mean_trust": week_means["mean_trust"],
                    "conflicts": started_[k],
                    "horsemen": int(horsemen_[k]),
                    "bids": bids_[k],
                    "bids_toward": toward_[k],
                    "appreciations": appreciations_[k],
                    "mean_csi4": week_means["mean_csi4"],
                    "by_partner": {
                        handle: _week_partner(per_partner[i].get(k, empty))
                        for i, handle in enumerate(self.couple.partners)
                    },
                    "trust_consistency": trust_by_week.get(k, 50.0),
                }
            )
        return rows

    # ------------------------------------------------------------------------------------------
    def compute(self) -> dict[str, Any]:
        bids = self.bids()
        conflicts = self.conflicts()
        return {
            "couple": self.couple.handle,
            "as_of": iso_utc(self.as_of),
            "window_days": self.window_days,
            "repair": self.repair(),
            "promises": self.promises(),
            "trust_consistency": self.trust_consistency(),
            "check_ins": self.check_ins(),
            "bids": bids,
            "positive_negative": self.positive_negative(bids, conflicts["horsemen"]),
            "conflicts": conflicts,
            "weekly": self.weekly(),
        }


def _week_partner(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "check_ins": int(values["check_ins"]),
        "mean_closeness": values["mean_closeness"],
        "mean_trust": values["mean_trust"],
        "mean_csi4": values["mean_csi4"],
    }
