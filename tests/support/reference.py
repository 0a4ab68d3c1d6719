"""A plain-Python reference implementation of SPEC section 4, written straight from its sentences with
loops over entries (no polars, no SQL), as the oracle the projection is property-tested against.

Input: the couple's entries in the interchange format, in recording order, all valid.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

HORSEMEN = ["criticism", "contempt", "defensiveness", "stonewalling"]
PARENT = {
    "conflict_resolved": "conflict",
    "repair_accepted": "attempt",
    "repair_declined": "attempt",
    "promise_kept": "promise",
    "promise_broken": "promise",
    "promise_renegotiated": "promise",
    "promise_released": "promise",
}


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _rate(a: int, b: int) -> float | None:
    return a / b if b else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


class Reference:
    def __init__(self, entries: list[dict[str, Any]], as_of: datetime, window_days: int = 28) -> None:
        self.T = as_of.astimezone(UTC)
        self.W = window_days
        self.start = self.T - timedelta(days=window_days)
        reg = next(e for e in entries if e["type"] == "couple_registered")
        self.handle = reg["couple"]
        self.partners = [p["handle"] for p in reg["partners"]]
        self.zone = ZoneInfo(reg.get("timezone") or "UTC")
        self.entries = []
        for index, raw in enumerate(entries):
            e = dict(raw)
            e["_index"] = index
            e["_at"] = _t(raw["occurred_at"])
            if raw.get("due_at"):
                e["_due"] = _t(raw["due_at"])
            self.entries.append(e)
        # Retracted entries never exist, whenever the retraction happened; with them what depends on them.
        targets = {e["entry"] for e in self.entries if e["type"] == "entry_retracted"}
        self.dead = set(targets)
        for e in self.entries:
            if e["type"] in PARENT and e[PARENT[e["type"]]] in targets:
                self.dead.add(e["id"])
        self.live = [e for e in self.entries if e["id"] not in self.dead]
        for e in self.live:  # attempts of a retracted conflict stay, unlinked
            if e["type"] == "repair_offered" and e.get("conflict") in targets:
                e["conflict"] = None

    # ---------------------------------------------------------------------------------------
    def exists(self, e: dict[str, Any], at: datetime) -> bool:
        moment: datetime = e["_at"]
        return moment <= at

    def of(self, kind: str, at: datetime | None = None) -> list[dict[str, Any]]:
        at = self.T if at is None else at
        return [e for e in self.live if e["type"] == kind and e["_at"] <= at]

    def in_window(self, moment: datetime) -> bool:
        return self.start < moment <= self.T

    def outcome_of_attempt(self, attempt_id: str, at: datetime) -> dict[str, Any] | None:
        for kind in ("repair_accepted", "repair_declined"):
            for e in self.of(kind, at):
                if e["attempt"] == attempt_id:
                    return e
        return None

    def promise_view(self, p: dict[str, Any], at: datetime) -> dict[str, Any] | None:
        """None when p does not exist or is released as of `at`; else its due time and outcome."""
        if p["_at"] > at:
            return None
        if any(r["promise"] == p["id"] for r in self.of("promise_released", at)):
            return None
        due = p["_due"]
        best: tuple[datetime, int] | None = None
        for r in self.of("promise_renegotiated", at):
            if r["promise"] == p["id"] and (best is None or (r["_at"], r["_index"]) >= best):
                best = (r["_at"], r["_index"])
                due = r["_due"]
        kept = next((k for k in self.of("promise_kept", at) if k["promise"] == p["id"]), None)
        broken = next((k for k in self.of("promise_broken", at) if k["promise"] == p["id"]), None)
        return {"due": due, "kept": kept, "broken": broken, "by": p["by"]}

    # ---------------------------------------------------------------------------------------
    def repair(self) -> dict[str, Any]:
        def count(by: str | None) -> dict[str, Any]:
            offered = [
                o for o in self.of("repair_offered") if self.in_window(o["_at"]) and by in (None, o["by"])
            ]
            outcomes = [self.outcome_of_attempt(o["id"], self.T) for o in offered]
            acc = sum(1 for x in outcomes if x and x["type"] == "repair_accepted")
            dec = sum(1 for x in outcomes if x and x["type"] == "repair_declined")
            return {
                "offered": len(offered),
                "accepted": acc,
                "declined": dec,
                "pending": len(offered) - acc - dec,
                "acceptance_rate": _rate(acc, acc + dec),
            }

        return count(None) | {"by_partner": {h: count(h) for h in self.partners}}

    def promises(self) -> dict[str, Any]:
        def count(by: str | None) -> dict[str, Any]:
            result = {"due": 0, "kept": 0, "kept_late": 0, "broken": 0, "lapsed": 0, "open": 0}
            for p in self.of("promise_made"):
                if by not in (None, p["by"]):
                    continue
                v = self.promise_view(p, self.T)
                if v is None:
                    continue
                if self.in_window(v["due"]):
                    result["due"] += 1
                    if v["kept"]:
                        result["kept"] += 1
                        if v["kept"]["_at"] > v["due"]:
                            result["kept_late"] += 1
                    elif v["broken"]:
                        result["broken"] += 1
                    else:
                        result["lapsed"] += 1
                elif v["due"] > self.T and not v["kept"] and not v["broken"]:
                    result["open"] += 1
            return result | {"keeping_rate": _rate(result["kept"], result["due"])}

        return count(None) | {"by_partner": {h: count(h) for h in self.partners}}

    def trust_at(self, at: datetime, by: str | None = None) -> tuple[float, float]:
        sw = swx = 0.0
        for p in self.of("promise_made", at):
            if by not in (None, p["by"]):
                continue
            v = self.promise_view(p, at)
            if v is None or v["due"] > at:
                continue
            w = 0.5 ** ((at - v["due"]).total_seconds() / (14 * 86400))
            sw += w
            swx += w * (1 if v["kept"] else 0)
        return 100 * (swx + 1) / (sw + 2), sw

    def trust_consistency(self) -> dict[str, Any]:
        score, weight = self.trust_at(self.T)
        per = {h: self.trust_at(self.T, h) for h in self.partners}
        return {
            "score": score,
            "weight": weight,
            "by_partner": {h: v[0] for h, v in per.items()},
            "weight_by_partner": {h: v[1] for h, v in per.items()},
        }

    def check_ins(self) -> dict[str, Any]:
        window = [c for c in self.of("check_in") if self.in_window(c["_at"])]
        per = {}
        for h in self.partners:
            mine = [c for c in window if c["by"] == h]
            totals = [sum(c["csi4"]) for c in mine if c.get("csi4")]
            per[h] = {
                "count": len(mine),
                "mean_closeness": _mean([c["closeness"] for c in mine]),
                "mean_trust": _mean([c["trust"] for c in mine]),
                "csi4_count": len(totals),
                "mean_csi4": _mean(totals),
                "csi4_below_cutoff": sum(1 for t in totals if t < 13.5),
            }
        return {"count": len(window), "by_partner": per}

    def bids(self) -> dict[str, Any]:
        window = [b for b in self.of("bid_made") if self.in_window(b["_at"])]
        counts = {r: sum(1 for b in window if b["response"] == r) for r in ("toward", "away", "against")}
        return {
            "total": len(window),
            **counts,
            "turn_toward_rate": _rate(counts["toward"], len(window)),
        }

    def conflicts(self) -> dict[str, Any]:
        started = [c for c in self.of("conflict_started") if self.in_window(c["_at"])]
        resolved = [r for r in self.of("conflict_resolved") if self.in_window(r["_at"])]
        horsemen = {h: sum(1 for c in started if h in c["horsemen"]) for h in HORSEMEN}
        recent = [c for c in self.of("conflict_started") if c["_at"] > self.T - timedelta(days=30)]
        topics: dict[str, int] = {}
        for c in recent:
            topic = " ".join(c["topic"].split()).lower()
            topics[topic] = topics.get(topic, 0) + 1
        minutes = []
        for c in started:
            accepts = []
            for o in self.of("repair_offered"):
                if o.get("conflict") == c["id"]:
                    out = self.outcome_of_attempt(o["id"], self.T)
                    if out and out["type"] == "repair_accepted":
                        accepts.append(out["_at"])
            if accepts:
                minutes.append((min(accepts) - c["_at"]).total_seconds() / 60)
        return {
            "started": len(started),
            "resolved": len(resolved),
            "horsemen": horsemen,
            "recurring_topics": sorted(t for t, n in topics.items() if n >= 3),
            "repaired": len(minutes),
            "median_minutes_to_repair": statistics.median(minutes) if minutes else None,
        }

    # ---------------------------------------------------------------------------------------
    def monday(self, moment: datetime) -> date:
        d = moment.astimezone(self.zone).date()
        return d - timedelta(days=d.weekday())

    def weekly(self) -> list[dict[str, Any]]:
        logged = [
            e
            for e in self.live
            if e["_at"] <= self.T and e["type"] not in ("couple_registered", "entry_retracted")
        ]
        if not logged:
            return []
        first = self.monday(min(e["_at"] for e in logged))
        last = self.monday(self.T)
        rows = []
        week = first
        while week <= last:
            rows.append(self.week_row(week, week == last))
            week += timedelta(days=7)
        return rows

    def week_row(self, monday: date, contains_t: bool) -> dict[str, Any]:
        def here(e: dict[str, Any], key: str = "_at") -> bool:
            return self.monday(e[key]) == monday

        offers = [o for o in self.of("repair_offered") if here(o)]
        outcomes = [self.outcome_of_attempt(o["id"], self.T) for o in offers]
        acc = sum(1 for x in outcomes if x and x["type"] == "repair_accepted")
        dec = sum(1 for x in outcomes if x and x["type"] == "repair_declined")
        due = kept = 0
        for p in self.of("promise_made"):
            v = self.promise_view(p, self.T)
            if v is not None and v["due"] <= self.T and self.monday(v["due"]) == monday:
                due += 1
                kept += 1 if v["kept"] else 0
        checks = [c for c in self.of("check_in") if here(c)]
        conflicts = [c for c in self.of("conflict_started") if here(c)]
        bids = [b for b in self.of("bid_made") if here(b)]

        def csi(cs: list[dict[str, Any]]) -> float | None:
            return _mean([sum(c["csi4"]) for c in cs if c.get("csi4")])

        if contains_t:
            end = self.T
        else:
            next_monday = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=self.zone)
            end = next_monday.astimezone(UTC) - timedelta(microseconds=1)
        return {
            "week_start": monday.isoformat(),
            "repairs_offered": len(offers),
            "repairs_accepted": acc,
            "repairs_declined": dec,
            "acceptance_rate": _rate(acc, acc + dec),
            "promises_due": due,
            "promises_kept": kept,
            "keeping_rate": _rate(kept, due),
            "check_ins": len(checks),
            "mean_closeness": _mean([c["closeness"] for c in checks]),
            "mean_trust": _mean([c["trust"] for c in checks]),
            "conflicts": len(conflicts),
            "horsemen": sum(len(c["horsemen"]) for c in conflicts),
            "bids": len(bids),
            "bids_toward": sum(1 for b in bids if b["response"] == "toward"),
            "appreciations": len([a for a in self.of("appreciation_expressed") if here(a)]),
            "mean_csi4": csi(checks),
            "by_partner": {
                h: {
                    "check_ins": len(mine),
                    "mean_closeness": _mean([c["closeness"] for c in mine]),
                    "mean_trust": _mean([c["trust"] for c in mine]),
                    "mean_csi4": csi(mine),
                }
                for h in self.partners
                for mine in [[c for c in checks if c["by"] == h]]
            },
            "trust_consistency": self.trust_at(end)[0],
        }

    def compute(self) -> dict[str, Any]:
        bids = self.bids()
        conflicts = self.conflicts()
        appreciations = [a for a in self.of("appreciation_expressed") if self.in_window(a["_at"])]
        positive = len(appreciations) + bids["toward"]
        negative = bids["against"] + sum(conflicts["horsemen"].values())
        return {
            "couple": self.handle,
            "window_days": self.W,
            "repair": self.repair(),
            "promises": self.promises(),
            "trust_consistency": self.trust_consistency(),
            "check_ins": self.check_ins(),
            "bids": bids,
            "positive_negative": {
                "positive": positive,
                "negative": negative,
                "ratio": _rate(positive, negative),
            },
            "conflicts": conflicts,
            "weekly": self.weekly(),
        }


def reference_metrics(
    entries: list[dict[str, Any]], as_of: datetime, window_days: int = 28
) -> dict[str, Any]:
    return Reference(entries, as_of, window_days).compute()


def assert_same(actual: Any, expected: Any, path: str = "") -> None:
    """Equal, with numbers compared at a relative tolerance of 1e-6 (SPEC section 7)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        assert set(actual) == set(expected), f"{path}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{path}: {actual!r} != {expected!r}"
        )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    elif isinstance(expected, float) and not isinstance(expected, bool):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{path}: {actual!r}"
        assert abs(actual - expected) <= 1e-6 * max(1.0, abs(expected)), f"{path}: {actual!r} != {expected!r}"
    else:
        assert actual == expected and type(actual) is type(expected), f"{path}: {actual!r} != {expected!r}"
