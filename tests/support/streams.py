"""Random *valid* entry streams for property tests: candidates are drawn at random (times clustered on
week edges, due times and each other, so ties and edges are common) and kept only when the domain
accepts them, so every stream passes SPEC section 3 by construction."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.couple import Couple
from domain.entries import parse_entry
from domain.errors import EntryRefused
from domain.ids import PLAIN_IDS

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "UTC"]
# Around a European spring-forward (2026-03-29) and an American fall-back (2026-11-01).
STARTS = [date(2026, 3, 9), date(2026, 10, 12)]
RECORDED_AT = datetime(2027, 1, 1, tzinfo=UTC)


class StreamBuilder:
    def __init__(self, rng: random.Random, zone: str | None = None, start: date | None = None) -> None:
        self.rng = rng
        self.zone_name = zone or rng.choice(ZONES)
        self.zone = ZoneInfo(self.zone_name)
        self.start = start or rng.choice(STARTS)
        self.entries: list[dict[str, Any]] = []
        self.couple: Couple | None = None
        self.counter = 0
        # Interesting instants: local Monday midnights of the span, and times already used.
        self.anchors: list[datetime] = [
            datetime.combine(self.start + timedelta(weeks=k), time(0), self.zone).astimezone(UTC)
            for k in range(6)
        ]

    # ------------------------------------------------------------------------------------------
    def moment(self) -> datetime:
        roll = self.rng.random()
        if roll < 0.25 and self.anchors:
            base = self.rng.choice(self.anchors)
            return base + timedelta(minutes=self.rng.choice([0, 0, 1, -1, 30, 60 * 24]))
        days = self.rng.uniform(0, 35)
        return (
            datetime.combine(self.start, time(0), self.zone).astimezone(UTC) + timedelta(days=days)
        ).replace(microsecond=0, second=0)

    def iso(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).isoformat()

    def offer(self, raw: dict[str, Any]) -> bool:
        """Keep the candidate if the domain accepts it."""
        self.counter += 1
        raw = {"couple": "c", "id": f"e{self.counter}", **raw}
        try:
            entry = parse_entry(raw)
            assert entry.id is not None
            if self.couple is None:
                self.couple = Couple.register(
                    entry, couple_id=PLAIN_IDS.couple_id("c"), entry_id=entry.id, recorded_at=RECORDED_AT
                )
            else:
                self.couple.record(entry, entry_id=entry.id, recorded_at=RECORDED_AT)
        except EntryRefused:
            return False
        self.entries.append(raw)
        self.anchors.append(entry.occurred_at)
        if entry.data.get("due_at") is not None:
            self.anchors.append(entry.data["due_at"])
        return True

    def live_ids(self, entry_type: str) -> list[str]:
        assert self.couple is not None
        return [i for i, t in self.couple.ids.items() if t == entry_type and i not in self.couple.retracted]

    # ------------------------------------------------------------------------------------------
    def build(self, size: int) -> list[dict[str, Any]]:
        rng = self.rng
        self.offer(
            {
                "type": "couple_registered",
                "occurred_at": self.iso(datetime.combine(self.start, time(0), self.zone) - timedelta(days=1)),
                "partners": [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}],
                "timezone": self.zone_name,
            }
        )
        makers = [
            (3, self._conflict),
            (2, self._resolve),
            (4, self._offer),
            (4, self._answer),
            (4, self._promise),
            (4, self._settle),
            (2, self._renegotiate),
            (1, self._release),
            (4, self._check_in),
            (4, self._bid),
            (2, self._appreciation),
            (3, self._retract),
        ]
        weights = [w for w, _ in makers]
        attempts = 0
        while len(self.entries) < size and attempts < size * 20:
            attempts += 1
            _, make = rng.choices(makers, weights)[0]
            candidate = make()
            if candidate is not None:
                self.offer(candidate)
        return self.entries

    def _by(self) -> str:
        return self.rng.choice(["ana", "ben"])

    def _conflict(self) -> dict[str, Any]:
        horsemen = [
            h for h in ("criticism", "contempt", "defensiveness", "stonewalling") if self.rng.random() < 0.4
        ]
        return {
            "type": "conflict_started",
            "occurred_at": self.iso(self.moment()),
            "by": self._by(),
            "topic": self.rng.choice(["money", "Money ", "chores", "kids", "in  laws"]),
            "horsemen": horsemen,
            "intensity": self.rng.randint(1, 5),
        }

    def _pick(self, entry_type: str) -> str | None:
        ids = self.live_ids(entry_type)
        return self.rng.choice(ids) if ids else None

    def after(self, entry_id: str, upto: datetime | None = None) -> datetime:
        """Mostly a moment shortly after the given entry (or between it and `upto`), sometimes any."""
        assert self.couple is not None
        if self.rng.random() < 0.2:
            return self.moment()
        start = next(datetime.fromisoformat(e["occurred_at"]) for e in self.entries if e["id"] == entry_id)
        start = start.astimezone(UTC)
        if upto is not None and upto > start and self.rng.random() < 0.7:
            return start + (upto - start) * self.rng.choice([0.0, 0.5, 1.0, self.rng.random()])
        return start + timedelta(minutes=self.rng.choice([0, 1, 30, 60 * 20, 60 * 24 * 9]))

    def due_of(self, promise_id: str) -> datetime:
        assert self.couple is not None
        return self.couple.current_due(promise_id, datetime.max.replace(tzinfo=UTC))

    def _resolve(self) -> dict[str, Any] | None:
        target = self._pick("conflict_started")
        return target and {
            "type": "conflict_resolved",
            "occurred_at": self.iso(self.after(target)),
            "conflict": target,
        }

    def _offer(self) -> dict[str, Any]:
        raw = {
            "type": "repair_offered",
            "occurred_at": self.iso(self.moment()),
            "by": self._by(),
            "kind": "apology",
        }
        conflict = self._pick("conflict_started") if self.rng.random() < 0.6 else None
        if conflict:
            raw["conflict"] = conflict
            raw["occurred_at"] = self.iso(self.after(conflict))
        return raw

    def _answer(self) -> dict[str, Any] | None:
        target = self._pick("repair_offered")
        kind = self.rng.choice(["repair_accepted", "repair_accepted", "repair_declined"])
        return target and {"type": kind, "occurred_at": self.iso(self.after(target)), "attempt": target}

    def _promise(self) -> dict[str, Any]:
        made = self.moment()
        due = made + timedelta(hours=self.rng.choice([1, 12, 24, 24 * 3, 24 * 7, 24 * 20]))
        return {
            "type": "promise_made",
            "occurred_at": self.iso(made),
            "by": self._by(),
            "description": "wash up",
            "due_at": self.iso(due),
        }

    def _settle(self) -> dict[str, Any] | None:
        target = self._pick("promise_made")
        if target is None:
            return None
        kind = self.rng.choice(["promise_kept", "promise_kept", "promise_broken"])
        due = self.due_of(target)
        at = self.after(target, due + timedelta(hours=self.rng.choice([0, 0, 5])))
        return {"type": kind, "occurred_at": self.iso(at), "promise": target}

    def _renegotiate(self) -> dict[str, Any] | None:
        target = self._pick("promise_made")
        if target is None:
            return None
        at = self.after(target, self.due_of(target))
        return {
            "type": "promise_renegotiated",
            "occurred_at": self.iso(at),
            "promise": target,
            "due_at": self.iso(at + timedelta(hours=self.rng.choice([1, 24, 24 * 5]))),
        }

    def _release(self) -> dict[str, Any] | None:
        target = self._pick("promise_made")
        if target is None:
            return None
        at = self.after(target, self.due_of(target))
        return {"type": "promise_released", "occurred_at": self.iso(at), "promise": target}

    def _check_in(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "type": "check_in",
            "occurred_at": self.iso(self.moment()),
            "by": self._by(),
            "closeness": self.rng.randint(1, 10),
            "trust": self.rng.randint(1, 10),
        }
        if self.rng.random() < 0.6:
            raw["csi4"] = [
                self.rng.randint(0, 6),
                self.rng.randint(0, 5),
                self.rng.randint(0, 5),
                self.rng.randint(0, 5),
            ]
        return raw

    def _bid(self) -> dict[str, Any]:
        return {
            "type": "bid_made",
            "occurred_at": self.iso(self.moment()),
            "by": self._by(),
            "response": self.rng.choice(["toward", "toward", "away", "against"]),
        }

    def _appreciation(self) -> dict[str, Any]:
        return {"type": "appreciation_expressed", "occurred_at": self.iso(self.moment()), "by": self._by()}

    def _retract(self) -> dict[str, Any] | None:
        assert self.couple is not None
        candidates = [
            i
            for i, t in self.couple.ids.items()
            if t not in ("couple_registered", "entry_retracted") and i not in self.couple.retracted
        ]
        if not candidates:
            return None
        return {
            "type": "entry_retracted",
            "occurred_at": self.iso(self.moment()),
            "entry": self.rng.choice(candidates),
        }


def random_stream(seed: int, size: int = 80, zone: str | None = None) -> list[dict[str, Any]]:
    return StreamBuilder(random.Random(seed), zone).build(size)


def interesting_times(
    entries: list[dict[str, Any]], rng: random.Random, window_days: int, count: int = 6
) -> list[datetime]:
    """Moments T to compute metrics at: on entry times and due times, on week edges and one
    microsecond before them, at an entry's time plus the window (so it sits on the open edge), and
    in between."""
    zone = ZoneInfo(next(e for e in entries if e["type"] == "couple_registered").get("timezone") or "UTC")
    times = [datetime.fromisoformat(e["occurred_at"]).astimezone(UTC) for e in entries]
    dues = [datetime.fromisoformat(e["due_at"]).astimezone(UTC) for e in entries if e.get("due_at")]
    pool: list[datetime] = []
    pool += rng.sample(times, min(2, len(times)))
    pool += rng.sample(dues, min(1, len(dues)))
    some = rng.choice(times)
    local = some.astimezone(zone).date()
    monday = datetime.combine(
        local - timedelta(days=local.weekday()) + timedelta(days=7), time(0), zone
    ).astimezone(UTC)
    pool += [monday, monday - timedelta(microseconds=1)]
    pool.append(rng.choice(times) + timedelta(days=window_days))
    pool.append(min(times) + (max(times) - min(times)) * rng.random())
    pool.append(max(times) + timedelta(days=3))
    rng.shuffle(pool)
    return pool[:count]
