"""`CoupleAccessApp`: the only write API of the `CoupleAccess` aggregates (grants, revocations, session
dates, the access log, the weekly check-in rhythm), in the same event store as `RepairTrack` (same
settings, same tables: it takes the name "RepairTrack", so on PostgreSQL too its events land in the same
table). It speaks plain values.

It decides nothing about who may ask: the service layer (`repairtrack.services.couples`) does, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from typing import Literal, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.access import CoupleAccess
from domain.app_base import StoreApplication

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Grant:
    """A counselor's current access to a couple."""

    couple: str
    counselor: str
    notes: bool
    by: str  # the partner who granted it
    at: datetime


@dataclass(frozen=True, slots=True)
class GrantChange:
    """One grant or revocation, for the couple's timeline."""

    what: Literal["granted", "revoked"]
    counselor: str
    by: str
    at: datetime
    notes: bool | None = None  # for a grant


@dataclass(frozen=True, slots=True)
class Opening:
    """One record of the access log: a counselor opened the couple's overview, entries, report or bundle."""

    counselor: str
    kind: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Rhythm:
    """The couple's weekly check-in: a day (0 Monday .. 6 Sunday) and a local time (HH:MM) in its zone."""

    couple: str
    weekday: int
    time: str
    by: str  # the partner who chose it
    at: datetime  # when it was chosen
    changes: int = 1  # how many choices and clearings the couple recorded up to this one


@dataclass(frozen=True, slots=True)
class RhythmChange:
    """One choice or clearing of the check-in rhythm, for the couple's timeline."""

    what: Literal["chosen", "cleared"]
    by: str
    at: datetime
    weekday: int | None = None
    time: str | None = None


class CoupleAccessApp(StoreApplication):
    name = "RepairTrack"  # the same event store (and, on PostgreSQL, the same table) as RepairTrack

    # ------------------------------------------------------------------------------------------
    # Writing.
    # ------------------------------------------------------------------------------------------
    def grant(self, couple: str, counselor: str, *, notes: bool, by: str) -> Grant:
        """Grant (or change) a counselor's access to a couple."""

        def change(record: CoupleAccess, at: datetime) -> Grant:
            record.grant(counselor, notes=notes, by=by, at=at)
            return Grant(couple, counselor, notes, by, at)

        return self._change(couple, change)

    def revoke(self, couple: str, counselor: str, *, by: str) -> bool:
        """End a counselor's access; False when they had none."""
        return self._change(couple, lambda record, at: record.revoke(counselor, by=by, at=at))

    def date_session(self, couple: str, counselor: str, day: date) -> bool:
        """Record the day of a session; False when it was recorded already."""
        return self._change(couple, lambda record, at: record.date_session(counselor, day, at=at))

    def open(self, couple: str, counselor: str, kind: str) -> bool:
        """Record that a counselor opened the couple (coalesced); whether a record was made."""
        return self._change(couple, lambda record, at: record.open(counselor, kind, at=at))

    def choose_rhythm(self, couple: str, weekday: int, local_time: str | clock_time, *, by: str) -> Rhythm:
        """Choose (or change) the couple's weekly check-in; refused (`rhythm.*`) outside a weekday 0-6
        and a time of day HH:MM."""

        def change(record: CoupleAccess, at: datetime) -> None:
            record.choose_rhythm(weekday, local_time, by=by, at=at)

        self._change(couple, change)
        found = self.rhythm(couple)
        assert found is not None
        return found

    def clear_rhythm(self, couple: str, *, by: str) -> bool:
        """Stop the weekly check-in; False when none was chosen."""
        return self._change(couple, lambda record, at: record.clear_rhythm(by=by, at=at))

    # ------------------------------------------------------------------------------------------
    # Reading (plain values).
    # ------------------------------------------------------------------------------------------
    def rhythm(self, couple: str) -> Rhythm | None:
        """The couple's weekly check-in, or None until they choose one (or after they cleared it)."""
        record = self._load(couple)
        if record is None or record.rhythm is None:
            return None
        chosen = record.rhythm
        return Rhythm(
            couple,
            int(chosen["weekday"]),
            str(chosen["time"]),
            str(chosen["by"]),
            chosen["at"],
            len(record.rhythm_changes),
        )

    def rhythm_history(self, couple: str) -> list[RhythmChange]:
        """Every choice and clearing of the check-in rhythm, newest first."""
        record = self._load(couple)
        if record is None:
            return []
        return [
            RhythmChange(c["what"], c["by"], c["at"], c.get("weekday"), c.get("time"))
            for c in reversed(record.rhythm_changes)
        ]

    def grant_of(self, couple: str, counselor: str) -> Grant | None:
        record = self._load(couple)
        if record is None or counselor not in record.grants:
            return None
        grant = record.grants[counselor]
        return Grant(couple, counselor, bool(grant["notes"]), str(grant["by"]), grant["at"])

    def grants(self, couple: str) -> list[Grant]:
        """The couple's current grants, newest first."""
        record = self._load(couple)
        if record is None:
            return []
        found = [Grant(couple, c, bool(g["notes"]), str(g["by"]), g["at"]) for c, g in record.grants.items()]
        return sorted(found, key=lambda g: g.at, reverse=True)

    def history(self, couple: str) -> list[GrantChange]:
        """Every grant and revocation of the couple, newest first."""
        record = self._load(couple)
        if record is None:
            return []
        return [
            GrantChange(h["what"], h["counselor"], h["by"], h["at"], h.get("notes"))
            for h in reversed(record.history)
        ]

    def access_log(self, couple: str) -> list[Opening]:
        """Every record of a counselor opening the couple, newest first."""
        record = self._load(couple)
        if record is None:
            return []
        return [Opening(o["counselor"], o["kind"], o["at"]) for o in reversed(record.opened)]

    def session_days(self, couple: str, counselor: str) -> list[date]:
        """The days of a counselor's sessions with a couple, latest first."""
        record = self._load(couple)
        days = [] if record is None else record.sessions.get(counselor, [])
        return sorted((date.fromisoformat(d) for d in days), reverse=True)

    def couples_granting(self, counselor: str) -> list[str]:
        """The handles of the couples that currently grant this counselor access, sorted. One pass over
        the start, grant and revocation events of the store (a topic filter), never every entry and
        never a whole access record (its access log may be long)."""
        topics = [
            get_topic(cls) for cls in (CoupleAccess.Started, CoupleAccess.Granted, CoupleAccess.Revoked)
        ]
        couple_of: dict[UUID, str] = {}
        granted: dict[UUID, bool] = {}
        for notification in self._notifications(topics, 1000):
            event = self.mapper.to_domain_event(notification)
            originator = UUID(str(notification.originator_id))
            if isinstance(event, CoupleAccess.Started):
                couple_of[originator] = event.couple
            elif (
                isinstance(event, CoupleAccess.Granted | CoupleAccess.Revoked)
                and event.counselor == counselor
            ):
                granted[originator] = isinstance(event, CoupleAccess.Granted)
        return sorted(couple_of[o] for o, active in granted.items() if active and o in couple_of)

    # ------------------------------------------------------------------------------------------
    def _load(self, couple: str) -> CoupleAccess | None:
        return self._load_id(CoupleAccess.create_id(couple, self.ids))

    def _load_id(self, originator: UUID) -> CoupleAccess | None:
        found: CoupleAccess | None = self._aggregate(originator)
        return found

    def _change(self, couple: str, change: Callable[[CoupleAccess, datetime], T]) -> T:
        """Load (or start) the couple's access record, apply `change`, save; on a concurrent writer's
        conflict load again and retry, for up to `retry_seconds`. A record is started only for a change
        that records something."""

        def attempt() -> T:
            at = self.clock()
            record = self._load(couple)
            fresh = record is None
            if record is None:
                record = CoupleAccess.start(couple, at, self.ids)
            result = change(record, at)
            if record.pending_events and not (fresh and len(record.pending_events) == 1):
                self.save(record)
            return result

        return self._retry_on_conflict(attempt, f"changing the access of {couple!r}")
