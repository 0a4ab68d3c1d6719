"""The `CoupleAccess` aggregate: who outside the couple may read it, and the record of their reading.

One per couple (id derived from the couple's handle). Either partner grants a counselor access, with or
without notes, and either partner revokes it; a counselor records the dates of their sessions with the
couple; every time a counselor opens the couple (its overview, entries, report or bundle) the access log
records it, at most once per counselor and kind in `OPEN_COALESCE`; the couple's weekly check-in rhythm
(a day of the week and a local time, in the couple's zone) is chosen, changed and cleared here. These are
events of the couple's access record, never entries of SPEC section 3: no metric and no `events.jsonl`
sees them.

Each event carries `at`, the moment the application's clock gave (so tests can fake it); commands only
trigger events, the guards (who may ask) are the service layer's and `CoupleAccessApp`'s.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar, Final
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import Refusal
from domain.ids import PLAIN_IDS, IdScheme

ACCESS_NAMESPACE: Final = UUID("3b9e7c51-2f4d-5a86-8e1b-7c0d9a4f6e21")
OPEN_KINDS: Final = ("overview", "entries", "report", "bundle")
OPEN_COALESCE: Final = timedelta(minutes=10)
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME_RE: Final = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def check_rhythm(weekday: object, local_time: object) -> str:
    """Refuse a weekday outside 0 (Monday) to 6 (Sunday) or a time of day that is not HH:MM; return the
    time as HH:MM (a `datetime.time` is taken to the minute)."""
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise Refusal("weekday", "rhythm.weekday", "choose a day from 0 (Monday) to 6 (Sunday)")
    if isinstance(local_time, time):
        if local_time.tzinfo is not None or local_time.second or local_time.microsecond:
            raise Refusal("time", "rhythm.time", "give the time of day to the minute, like 19:30")
        return f"{local_time.hour:02d}:{local_time.minute:02d}"
    if not isinstance(local_time, str) or not _TIME_RE.fullmatch(local_time):
        raise Refusal("time", "rhythm.time", "write the time of day like 19:30, from 00:00 to 23:59")
    return local_time


class CoupleAccess(Aggregate):
    class_version: ClassVar[int] = 1

    @staticmethod
    def create_id(couple: str, ids: IdScheme = PLAIN_IDS) -> UUID:
        """The record's id: from the couple's handle, by the store's `IdScheme` (keyed when encrypted)."""
        return ids.aggregate_id(ACCESS_NAMESPACE, couple)

    def __init__(self, couple: str, at: datetime) -> None:
        self.couple = couple
        self.grants: dict[str, dict[str, Any]] = {}  # counselor -> {"notes", "by", "at"} while granted
        self.history: list[dict[str, Any]] = []  # every grant and revocation, in recording order
        self.sessions: dict[str, list[str]] = {}  # counselor -> session days (ISO), in recording order
        self.opened: list[dict[str, Any]] = []  # the access log, in recording order
        self.last_opened: dict[tuple[str, str], datetime] = {}  # (counselor, kind) -> latest record
        self.rhythm: dict[str, Any] | None = None  # {"weekday", "time", "by", "at"} while chosen
        self.rhythm_changes: list[dict[str, Any]] = []  # every choice and clearing, in recording order

    class Event(Aggregate.Event):
        at: datetime

    class Started(Event, Aggregate.Created):
        couple: str

    class Granted(Event):
        counselor: str
        notes: bool
        by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.grants[self.counselor] = {"notes": self.notes, "by": self.by, "at": self.at}
            aggregate.history.append(
                {
                    "what": "granted",
                    "counselor": self.counselor,
                    "notes": self.notes,
                    "by": self.by,
                    "at": self.at,
                }
            )

    class Revoked(Event):
        counselor: str
        by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.grants.pop(self.counselor, None)
            aggregate.history.append(
                {"what": "revoked", "counselor": self.counselor, "by": self.by, "at": self.at}
            )

    class SessionDated(Event):
        counselor: str
        day: str  # an ISO date (the library's transcoder has no date)

        def apply(self, aggregate: Any) -> None:
            days = aggregate.sessions.setdefault(self.counselor, [])
            if self.day not in days:
                days.append(self.day)

    class Opened(Event):
        counselor: str
        kind: str

        def apply(self, aggregate: Any) -> None:
            aggregate.opened.append({"counselor": self.counselor, "kind": self.kind, "at": self.at})
            aggregate.last_opened[(self.counselor, self.kind)] = self.at

    class RhythmChosen(Event):
        weekday: int  # 0 Monday .. 6 Sunday
        time: str  # HH:MM, local to the couple's zone
        by: str

        def apply(self, aggregate: Any) -> None:
            chosen = {"weekday": self.weekday, "time": self.time, "by": self.by, "at": self.at}
            aggregate.rhythm = chosen
            aggregate.rhythm_changes.append({"what": "chosen", **chosen})

    class RhythmCleared(Event):
        by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.rhythm = None
            aggregate.rhythm_changes.append({"what": "cleared", "by": self.by, "at": self.at})

    # ------------------------------------------------------------------------------------------
    @classmethod
    def start(cls, couple: str, at: datetime, ids: IdScheme = PLAIN_IDS) -> CoupleAccess:
        return cls._create(cls.Started, id=cls.create_id(couple, ids), couple=couple, at=at)

    def grant(self, counselor: str, *, notes: bool, by: str, at: datetime) -> None:
        self.trigger_event(self.Granted, counselor=counselor, notes=notes, by=by, at=at)

    def revoke(self, counselor: str, *, by: str, at: datetime) -> bool:
        """Revoke a counselor's access; False (and nothing recorded) when they had none."""
        if counselor not in self.grants:
            return False
        self.trigger_event(self.Revoked, counselor=counselor, by=by, at=at)
        return True

    def date_session(self, counselor: str, day: date, *, at: datetime) -> bool:
        """Record a session day; False (nothing recorded) when that day is recorded already."""
        if day.isoformat() in self.sessions.get(counselor, []):
            return False
        self.trigger_event(self.SessionDated, counselor=counselor, day=day.isoformat(), at=at)
        return True

    def open(self, counselor: str, kind: str, *, at: datetime) -> bool:
        """Record that a counselor opened the couple, unless the same counselor opened the same kind
        less than `OPEN_COALESCE` ago; return whether it was recorded."""
        if kind not in OPEN_KINDS:
            raise ValueError(f"unknown kind of opening {kind!r}")  # a programming error
        last = self.last_opened.get((counselor, kind))
        if last is not None and at - last < OPEN_COALESCE:
            return False
        self.trigger_event(self.Opened, counselor=counselor, kind=kind, at=at)
        return True

    def choose_rhythm(self, weekday: int, local_time: str | time, *, by: str, at: datetime) -> bool:
        """Choose (or change) the weekly check-in; False (nothing recorded) when it is already so."""
        hhmm = check_rhythm(weekday, local_time)
        if self.rhythm is not None and (self.rhythm["weekday"], self.rhythm["time"]) == (weekday, hhmm):
            return False
        self.trigger_event(self.RhythmChosen, weekday=weekday, time=hhmm, by=by, at=at)
        return True

    def clear_rhythm(self, *, by: str, at: datetime) -> bool:
        """Stop the weekly check-in; False (nothing recorded) when none was chosen."""
        if self.rhythm is None:
            return False
        self.trigger_event(self.RhythmCleared, by=by, at=at)
        return True

    def may_read(self, counselor: str) -> bool:
        return counselor in self.grants

    def notes_granted(self, counselor: str) -> bool:
        grant = self.grants.get(counselor)
        return bool(grant and grant["notes"])
