"""Generated demo couples: realistic, valid entry streams of every type, reproducible by seed and end.

A couple that is doing the work: conflicts come less often and with fewer horsemen, repair attempts
are accepted more often, promises kept more often, check-ins and CSI-4 answers rise, more bids are met
toward. Now and then an entry is logged late (backdated), and a few mistakes are retracted and logged
again. Entries come out in recording order and pass every rule of SPEC section 3. The same generator
feeds `repairtrack demo`, the tests and the benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.vocabulary import CSI4_RANGES, HORSEMEN, INTENSITY_RANGE, REPAIR_KINDS, SCALE_RANGE

PAIRS = [
    ("alex", "Alex", "sam", "Sam"),
    ("ana", "Ana", "ben", "Ben"),
    ("mira", "Mira", "jonas", "Jonas"),
    ("lea", "Léa", "tom", "Tom"),
    ("priya", "Priya", "dev", "Dev"),
    ("kim", "Kim", "noor", "Noor"),
    ("rosa", "Rosa", "eli", "Eli"),
    ("yuki", "Yuki", "ren", "Ren"),
]
TIMEZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "UTC",
    "Europe/London",
    "America/Los_Angeles",
]
TOPICS = ["money", "chores", "in-laws", "screen time", "intimacy", "kids", "work hours", "friends"]
PROMISES = [
    "put phone away at dinner",
    "call when running late",
    "do the dishes after dinner",
    "plan a date night",
    "take the kids to school",
    "ask before making plans",
    "go for a walk together",
    "book the counseling session",
]
NOTES = [
    "we talked it through",
    "felt heard this time",
    "still a bit raw",
    "good evening together",
    "tried the pause signal",
    "hard day at work for both",
]


@dataclass
class _Stream:
    """The entries of one couple, with the moment each is recorded (its sort key)."""

    couple: str
    zone: ZoneInfo
    end: datetime
    entries: list[tuple[datetime, int, dict[str, Any]]] = field(default_factory=list)
    counter: int = 0

    def add(self, entry_type: str, at: datetime, recorded: datetime | None = None, **fields: Any) -> str:
        self.counter += 1
        entry_id = f"d{self.counter:05d}"
        entry = {
            "type": entry_type,
            "couple": self.couple,
            "id": entry_id,
            "occurred_at": at.astimezone(self.zone).isoformat(),
            **fields,
        }
        self.entries.append((recorded or at, self.counter, entry))
        return entry_id


def generate(*, seed: int = 7, couples: int = 1, days: int = 120, until: date) -> list[dict[str, Any]]:
    """Every entry of `couples` generated couples, couple after couple, in recording order."""
    return [
        entry
        for stream in generate_couples(seed=seed, couples=couples, days=days, until=until)
        for entry in stream
    ]


def couple_handle(index: int, couples: int) -> str:
    return "demo" if couples == 1 else f"demo-{index:04d}"


def generate_couples(
    *, seed: int = 7, couples: int = 1, days: int = 120, until: date
) -> Iterator[list[dict[str, Any]]]:
    """One list of entries per couple. History ends when `until` starts, in the couple's time zone."""
    for index in range(couples):
        rng = random.Random(f"{seed}:{index}:{until.isoformat()}:{days}")
        zone_name = "Europe/Berlin" if index == 0 else rng.choice(TIMEZONES)
        pair = PAIRS[0] if index == 0 else rng.choice(PAIRS)
        yield _couple(rng, couple_handle(index, couples), pair, zone_name, days, until)


def _couple(
    rng: random.Random,
    handle: str,
    pair: tuple[str, str, str, str],
    zone_name: str,
    days: int,
    until: date,
) -> list[dict[str, Any]]:
    zone = ZoneInfo(zone_name)
    end = datetime.combine(until, time(0), zone).astimezone(UTC)
    start_day = until - timedelta(days=days)
    a, a_name, b, b_name = pair
    partners = (a, b)
    stream = _Stream(handle, zone, end)
    first = _local(start_day, 6, 0, zone)  # before anything else of the first day
    stream.add(
        "couple_registered",
        first,
        partners=[{"handle": a, "name": a_name}, {"handle": b, "name": b_name}],
        timezone=zone_name,
        logged_by=a,
    )
    topics = rng.sample(TOPICS, 3)
    # Releases, renegotiations and corrections are rare; these days show one of each in every history.
    showcase = {days // 3: 0.10, days // 2: 0.04}  # promise rolls: released, renegotiated
    correction_day = 2 * days // 3
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        progress = offset / max(days - 1, 1)  # 0 at the start, 1 at the end
        if rng.random() < 0.42 - 0.22 * progress:
            _conflict(rng, stream, day, progress, partners, topics)
        if rng.random() < 0.08:
            by = rng.choice(partners)
            at = _local(day, rng.randint(7, 21), rng.randint(0, 59), zone)
            attempt = stream.add("repair_offered", at, by=by, kind=rng.choice(REPAIR_KINDS))
            _answer(rng, stream, attempt, at, progress)
        if offset in showcase or rng.random() < 0.5:
            _promise(rng, stream, day, progress, partners, roll=showcase.get(offset))
        for by in partners:
            if (offset + (by == b)) % 7 == 6:
                _check_in(rng, stream, day, progress, by)
        for _ in range(rng.randint(1, 3)):
            _bid(rng, stream, day, progress, partners)
        if rng.random() < 0.3 + 0.45 * progress:
            by = rng.choice(partners)
            at = _local(day, rng.randint(8, 22), rng.randint(0, 59), zone)
            late = at + timedelta(hours=rng.randint(12, 60)) if rng.random() < 0.15 else None
            fields: dict[str, Any] = {"by": by}
            if rng.random() < 0.3:
                fields["note"] = rng.choice(NOTES)
            _add_in_past(stream, "appreciation_expressed", at, late, **fields)
        if offset == correction_day or rng.random() < 0.02:
            _correction(rng, stream, day, partners)
    stream.entries.sort(key=lambda item: (item[0], item[1]))
    return [entry for recorded, _, entry in stream.entries if recorded < end]


def _add_in_past(
    stream: _Stream, entry_type: str, at: datetime, recorded: datetime | None = None, **fields: Any
) -> str | None:
    if at >= stream.end:
        return None
    return stream.add(entry_type, at, recorded if recorded and recorded < stream.end else None, **fields)


def _local(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


def _conflict(
    rng: random.Random,
    stream: _Stream,
    day: date,
    progress: float,
    partners: tuple[str, str],
    topics: list[str],
) -> None:
    start = _local(day, rng.randint(17, 21), rng.randint(0, 59), stream.zone)
    if start >= stream.end:
        return
    # The odds of each horseman, in the vocabulary's order: criticism, contempt, defensiveness, stonewalling.
    levels = (0.55 - 0.4 * progress, 0.3 - 0.26 * progress, 0.55 - 0.35 * progress, 0.35 - 0.27 * progress)
    odds = dict(zip(HORSEMEN, levels, strict=True))
    horsemen = [name for name, p in odds.items() if rng.random() < p]
    topic = rng.choice(topics) if rng.random() < 0.8 else rng.choice(TOPICS)
    intensity = _clip(round(rng.gauss(3.6 - 1.6 * progress, 0.9)), *INTENSITY_RANGE)
    by = rng.choice(partners)
    fields: dict[str, Any] = {
        "by": by,
        "topic": topic,
        "horsemen": horsemen,
        "intensity": intensity,
    }
    if rng.random() < 0.25:
        fields["note"] = rng.choice(NOTES)
        fields["private"] = rng.random() < 0.3
    conflict = stream.add("conflict_started", start, **fields)
    at = start
    offerer = rng.choice(partners)
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        at = at + timedelta(minutes=rng.randint(5, 80))
        if at >= stream.end:
            return
        attempt = stream.add(
            "repair_offered", at, by=offerer, kind=rng.choice(REPAIR_KINDS), conflict=conflict
        )
        answered = _answer(rng, stream, attempt, at, progress)
        if answered is not None:
            at = answered
        offerer = partners[1] if offerer == partners[0] else partners[0]
    if rng.random() < 0.55 + 0.35 * progress:
        resolved = at + timedelta(minutes=rng.randint(10, 36 * 60))
        if resolved < stream.end:
            stream.add("conflict_resolved", resolved, conflict=conflict)


def _answer(
    rng: random.Random, stream: _Stream, attempt: str, offered: datetime, progress: float
) -> datetime | None:
    if rng.random() < 0.06:
        return None  # left pending
    at = offered + timedelta(minutes=rng.randint(1, 45))
    if at >= stream.end:
        return None
    accepted = rng.random() < 0.25 + 0.65 * progress
    stream.add("repair_accepted" if accepted else "repair_declined", at, attempt=attempt)
    return at


def _promise(
    rng: random.Random,
    stream: _Stream,
    day: date,
    progress: float,
    partners: tuple[str, str],
    roll: float | None = None,
) -> None:
    made = _local(day, rng.randint(7, 22), rng.randint(0, 59), stream.zone)
    if made >= stream.end:
        return
    due = made + timedelta(hours=rng.randint(20, 9 * 24))
    promise = stream.add(
        "promise_made",
        made,
        by=rng.choice(partners),
        description=rng.choice(PROMISES),
        due_at=due.astimezone(stream.zone).isoformat(),
    )
    at = made
    roll = rng.random() if roll is None else roll
    if roll < 0.08:  # renegotiated before it was due
        at = at + (due - at) * rng.uniform(0.2, 0.9)
        if at >= stream.end:
            return
        due = at + timedelta(hours=rng.randint(24, 6 * 24))
        stream.add(
            "promise_renegotiated",
            at,
            promise=promise,
            due_at=due.astimezone(stream.zone).isoformat(),
        )
    elif roll < 0.12:  # released by agreement
        _add_in_past(stream, "promise_released", at + (due - at) * rng.uniform(0.1, 0.9), promise=promise)
        return
    outcome = rng.random()
    keep_odds = 0.3 + 0.62 * progress
    if outcome < keep_odds:
        late = rng.random() < 0.12
        kept = due + timedelta(hours=rng.uniform(1, 20)) if late else at + (due - at) * rng.uniform(0.3, 0.99)
        fields: dict[str, Any] = {"promise": promise}
        if rng.random() < 0.2:
            fields["note"] = rng.choice(NOTES)
        _add_in_past(stream, "promise_kept", kept, **fields)
    elif outcome < keep_odds + (1 - keep_odds) * 0.7:
        broken = max(at + timedelta(minutes=1), due + timedelta(hours=rng.uniform(-6, 12)))
        _add_in_past(stream, "promise_broken", broken, promise=promise)
    # otherwise it lapses: nobody records an outcome


def _check_in(rng: random.Random, stream: _Stream, day: date, progress: float, by: str) -> None:
    at = _local(day, rng.randint(19, 22), rng.randint(0, 59), stream.zone)
    base = 3.5 + 4.0 * progress
    fields: dict[str, Any] = {
        "by": by,
        "closeness": _clip(round(rng.gauss(base, 1.2)), *SCALE_RANGE),
        "trust": _clip(round(rng.gauss(base - 0.5, 1.2)), *SCALE_RANGE),
    }
    if rng.random() < 0.85:
        level = 0.3 + 0.5 * progress  # share of each item's maximum
        fields["csi4"] = [_clip(round(rng.gauss(level * high, 0.9)), low, high) for low, high in CSI4_RANGES]
    if rng.random() < 0.3:
        fields["note"] = rng.choice(NOTES)
        fields["private"] = rng.random() < 0.4
    late = at + timedelta(hours=rng.randint(10, 40)) if rng.random() < 0.1 else None
    _add_in_past(stream, "check_in", at, late, **fields)


def _bid(rng: random.Random, stream: _Stream, day: date, progress: float, partners: tuple[str, str]) -> None:
    at = _local(day, rng.randint(7, 22), rng.randint(0, 59), stream.zone)
    toward = 0.45 + 0.4 * progress
    roll = rng.random()
    response = "toward" if roll < toward else ("against" if roll < toward + (1 - toward) * 0.3 else "away")
    late = at + timedelta(hours=rng.randint(6, 30)) if rng.random() < 0.05 else None
    _add_in_past(stream, "bid_made", at, late, by=rng.choice(partners), response=response)


def _correction(rng: random.Random, stream: _Stream, day: date, partners: tuple[str, str]) -> None:
    """A check-in logged with a slip, retracted with a reason, and logged again correctly."""
    at = _local(day, 12, rng.randint(0, 59), stream.zone)
    by = rng.choice(partners)
    wrong = _add_in_past(stream, "check_in", at, by=by, closeness=1, trust=1)
    fix = at + timedelta(minutes=rng.randint(5, 90))
    if wrong is None or fix >= stream.end:
        return
    stream.add("entry_retracted", fix, entry=wrong, reason="typed the wrong numbers")
    stream.add(
        "check_in",
        fix + timedelta(minutes=1),
        by=by,
        closeness=rng.randint(5, 8),
        trust=rng.randint(5, 8),
        logged_by=by,
    )


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
