"""The `Couple` aggregate: everything two partners log, and the rules of SPEC section 3 that relate
entries to each other.

Why one aggregate per couple: every rule relates entries *of one couple* (an outcome to its offer, a
renegotiation to its promise, a retraction to any earlier entry) and no rule ever crosses couples. So the
couple is the consistency boundary: each rule is a check on one object, a batch of a couple's entries is
one atomic save, and two writers of the same couple meet as a version conflict the application retries.
A couple logs a handful of entries a day, so even years are a few thousand events; the application takes
a snapshot every `RepairTrack.snapshot_interval` events, so loading stays one snapshot plus a short tail.

Each command checks its rules first (`_refuse` raises `EntryRefused` naming field and rule) and only
then triggers its event; events only apply state and never fail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.entries import Entry
from domain.errors import EntryRefused, Problem
from domain.retraction import retract
from domain.vocabulary import FUTURE_TOLERANCE

# Couple ids are derived from the handle, so a handle finds its aggregate without an index.
COUPLE_NAMESPACE = UUID("6f2c1b0e-8d4a-5b7e-9c3f-2a1d0e4b5c6d")


class Couple(Aggregate):
    class_version = 1

    @staticmethod
    def create_id(handle: str) -> UUID:
        return uuid5(COUPLE_NAMESPACE, handle)

    def __init__(self, handle: str, partners: list[dict[str, str]], timezone: str) -> None:
        self.handle = handle
        self.partners = partners
        self.timezone = timezone
        # Every id ever recorded in this couple (retracted ones stay taken) -> its entry type.
        self.ids: dict[str, str] = {}
        # Ids treated as never recorded: retracted, or depending on a retracted entry.
        self.retracted: dict[str, bool] = {}
        # Live parents, with what the rules need to know about them.
        self.conflicts: dict[str, dict[str, Any]] = {}  # {"at", "resolution"}
        self.attempts: dict[str, dict[str, Any]] = {}  # {"at", "by", "conflict", "outcome"}
        self.promises: dict[str, dict[str, Any]] = {}  # {"at", "by", "due", "renegotiations", ...}
        # Live dependent entries (outcome, resolution, renegotiation, release) -> their parent id.
        self.parents: dict[str, str] = {}

    # ------------------------------------------------------------------------------------------
    # Events. Each carries the entry's id, when it happened (aware UTC) and who logged it.
    # ------------------------------------------------------------------------------------------
    class Event(Aggregate.Event):
        """Schema history: v1 had no `source`; v2 records how the entry reached the store
        ("import", "cli", "dashboard", "demo", "api"), "unknown" for entries stored by v1."""

        class_version: ClassVar[int] = 2
        entry_id: str
        occurred_at: datetime
        logged_by: str | None
        source: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["source"] = "unknown"

        entry_type: ClassVar[str] = ""

        def apply(self, aggregate: Any) -> None:
            aggregate.ids[self.entry_id] = self.entry_type
            self.record(aggregate)

        def record(self, couple: Couple) -> None:
            """What this event changes besides taking its id."""

    class Registered(Event, Aggregate.Created):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "couple_registered"
        handle: str
        partners: list[dict[str, str]]
        timezone: str

    class ConflictStarted(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "conflict_started"
        by: str
        topic: str
        horsemen: list[str]
        intensity: int
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.conflicts[self.entry_id] = {"at": self.occurred_at, "resolution": None}

    class ConflictResolved(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "conflict_resolved"
        conflict: str
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.conflicts[self.conflict]["resolution"] = self.entry_id
            couple.parents[self.entry_id] = self.conflict

    class RepairOffered(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "repair_offered"
        by: str
        kind: str
        conflict: str | None
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.attempts[self.entry_id] = {
                "at": self.occurred_at,
                "by": self.by,
                "conflict": self.conflict,
                "outcome": None,
            }

    class RepairAccepted(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "repair_accepted"
        attempt: str

        def record(self, couple: Couple) -> None:
            couple.attempts[self.attempt]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.attempt

    class RepairDeclined(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "repair_declined"
        attempt: str

        def record(self, couple: Couple) -> None:
            couple.attempts[self.attempt]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.attempt

    class PromiseMade(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "promise_made"
        by: str
        description: str
        due_at: datetime

        def record(self, couple: Couple) -> None:
            couple.promises[self.entry_id] = {
                "at": self.occurred_at,
                "by": self.by,
                "due": self.due_at,
                "renegotiations": [],  # [id, occurred_at, due_at], in recording order
                "outcome": None,
                "released": None,
            }

    class PromiseKept(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "promise_kept"
        promise: str
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.promises[self.promise]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.promise

    class PromiseBroken(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "promise_broken"
        promise: str
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.promises[self.promise]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.promise

    class PromiseRenegotiated(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "promise_renegotiated"
        promise: str
        due_at: datetime

        def record(self, couple: Couple) -> None:
            renegotiations = couple.promises[self.promise]["renegotiations"]
            renegotiations.append([self.entry_id, self.occurred_at, self.due_at])
            couple.parents[self.entry_id] = self.promise

    class PromiseReleased(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "promise_released"
        promise: str

        def record(self, couple: Couple) -> None:
            couple.promises[self.promise]["released"] = self.entry_id
            couple.parents[self.entry_id] = self.promise

    class CheckedIn(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "check_in"
        by: str
        closeness: int
        trust: int
        csi4: list[int] | None
        note: str | None
        private: bool

    class BidMade(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "bid_made"
        by: str
        response: str
        note: str | None
        private: bool

    class AppreciationExpressed(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "appreciation_expressed"
        by: str
        note: str | None
        private: bool

    class EntryRetracted(Event):
        class_version: ClassVar[int] = 2
        entry_type: ClassVar[str] = "entry_retracted"
        entry: str
        reason: str | None

        def record(self, couple: Couple) -> None:
            couple.forget_entry(self.entry)

    # ------------------------------------------------------------------------------------------
    # Commands.
    # ------------------------------------------------------------------------------------------
    @classmethod
    def register(cls, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str = "api") -> Couple:
        """Register a new couple (its handle was checked to be unused by the application)."""
        problems = _not_in_future(entry, recorded_at)
        handles = [p["handle"] for p in entry.data["partners"]]
        if entry.logged_by is not None and entry.logged_by not in handles:
            problems.append(
                Problem("logged_by", "partner.unknown", f"{entry.logged_by!r} is not one of {handles}")
            )
        if problems:
            raise EntryRefused(problems, entry_id=entry_id)
        return cls._create(
            cls.Registered,
            id=cls.create_id(entry.couple),
            timestamp=recorded_at,
            entry_id=entry_id,
            occurred_at=entry.occurred_at,
            logged_by=entry.logged_by,
            source=source,
            handle=entry.couple,
            partners=entry.data["partners"],
            timezone=entry.data["timezone"],
        )

    def record(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str = "api") -> None:
        """Record any entry but a registration, through the verb of its type."""
        getattr(self, VERBS[entry.type])(entry, entry_id=entry_id, recorded_at=recorded_at, source=source)

    def start_conflict(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._no_more_rules, self.ConflictStarted)

    def resolve_conflict(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_resolution, self.ConflictResolved)

    def offer_repair(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_offer, self.RepairOffered)

    def accept_repair(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_answer, self.RepairAccepted)

    def decline_repair(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_answer, self.RepairDeclined)

    def make_promise(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_promise_made, self.PromiseMade)

    def keep_promise(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_settlement, self.PromiseKept)

    def break_promise(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_settlement, self.PromiseBroken)

    def renegotiate_promise(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(
            entry, entry_id, recorded_at, source, self._rules_renegotiation, self.PromiseRenegotiated
        )

    def release_promise(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_release, self.PromiseReleased)

    def check_in(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._no_more_rules, self.CheckedIn)

    def make_bid(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._no_more_rules, self.BidMade)

    def express_appreciation(
        self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str
    ) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._no_more_rules, self.AppreciationExpressed)

    def retract_entry(self, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, self._rules_retraction, self.EntryRetracted)

    def _decide(
        self,
        entry: Entry,
        entry_id: str,
        recorded_at: datetime,
        source: str,
        rules: Callable[[Entry], list[Problem]],
        event_class: type[Couple.Event],
    ) -> None:
        """Check the common rules and the type's own, then (only then) trigger the event."""
        problems = self._common_problems(entry, entry_id, recorded_at) or rules(entry)
        if problems:
            raise EntryRefused(problems, entry_id=entry_id)
        self.trigger_event(
            event_class,
            timestamp=recorded_at,
            entry_id=entry_id,
            occurred_at=entry.occurred_at,
            logged_by=entry.logged_by,
            source=source,
            **entry.data,
        )

    # ------------------------------------------------------------------------------------------
    # Queries the rules (and the write API's callers) need.
    # ------------------------------------------------------------------------------------------
    @property
    def partner_handles(self) -> list[str]:
        return [p["handle"] for p in self.partners]

    def current_due(self, promise_id: str, at: datetime) -> datetime:
        """SPEC section 4: the due_at of the renegotiation with the latest occurred_at <= `at`
        (ties: the one recorded later), else the promise's own due_at."""
        promise = self.promises[promise_id]
        due: datetime = promise["due"]
        latest: datetime | None = None
        for _, occurred, new_due in promise["renegotiations"]:
            if occurred <= at and (latest is None or occurred >= latest):
                latest, due = occurred, new_due
        return due

    # ------------------------------------------------------------------------------------------
    # Rules: each returns the problems of one entry type (empty when every rule holds).
    # ------------------------------------------------------------------------------------------
    def _common_problems(self, entry: Entry, entry_id: str, recorded_at: datetime) -> list[Problem]:
        problems = _not_in_future(entry, recorded_at)
        if entry_id in self.ids:
            problems.append(Problem("id", "id.taken", f"{entry_id!r} is already used in this couple"))
        handles = self.partner_handles
        by = entry.data.get("by")
        if by is not None and by not in handles:
            problems.append(Problem("by", "partner.unknown", f"{by!r} is not one of {handles}"))
        if entry.logged_by not in (None, by) and entry.logged_by not in handles:
            problems.append(
                Problem("logged_by", "partner.unknown", f"{entry.logged_by!r} is not one of {handles}")
            )
        return problems

    def _parent(
        self, field: str, parent_id: str, expected: tuple[str, ...]
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The live parent entry a field refers to, or the problem with the reference."""
        kind = self.ids.get(parent_id)
        if kind is None:
            return None, [Problem(field, "ref.unknown", f"no entry {parent_id!r} in this couple")]
        if kind not in expected:
            return None, [Problem(field, "ref.wrong_type", f"{parent_id!r} is a {kind}, not a {expected[0]}")]
        if parent_id in self.retracted:
            return None, [Problem(field, "ref.retracted", f"{parent_id!r} was retracted")]
        table = {"conflict_started": self.conflicts, "repair_offered": self.attempts}
        return table.get(expected[0], self.promises)[parent_id], []

    def _no_more_rules(self, entry: Entry) -> list[Problem]:
        return []

    def _rules_resolution(self, entry: Entry) -> list[Problem]:
        conflict_id = entry.data["conflict"]
        conflict, problems = self._parent("conflict", conflict_id, ("conflict_started",))
        if conflict is None:
            return problems
        if conflict["resolution"] is not None:
            problems.append(
                Problem(
                    "conflict",
                    "conflict.already_resolved",
                    f"{conflict_id!r} was resolved by {conflict['resolution']!r}",
                )
            )
        if entry.occurred_at < conflict["at"]:
            problems.append(
                Problem("occurred_at", "conflict.before_start", f"before {conflict_id!r} started")
            )
        return problems

    def _rules_offer(self, entry: Entry) -> list[Problem]:
        conflict_id = entry.data["conflict"]
        if conflict_id is None:
            return []
        conflict, problems = self._parent("conflict", conflict_id, ("conflict_started",))
        if conflict is None:
            return problems
        if conflict["resolution"] is not None:
            problems.append(Problem("conflict", "conflict.already_resolved", f"{conflict_id!r} is resolved"))
        if conflict["at"] > entry.occurred_at:
            problems.append(
                Problem(
                    "conflict",
                    "conflict.starts_after_offer",
                    f"{conflict_id!r} started after this attempt",
                )
            )
        return problems

    def _rules_answer(self, entry: Entry) -> list[Problem]:
        attempt_id = entry.data["attempt"]
        attempt, problems = self._parent("attempt", attempt_id, ("repair_offered",))
        if attempt is None:
            return problems
        if attempt["outcome"] is not None:
            answer = self.ids[attempt["outcome"]].removeprefix("repair_")
            problems.append(
                Problem("attempt", "attempt.already_answered", f"{attempt_id!r} was already {answer}")
            )
        if entry.occurred_at < attempt["at"]:
            problems.append(
                Problem("occurred_at", "attempt.before_offer", f"before {attempt_id!r} was offered")
            )
        return problems

    def _rules_promise_made(self, entry: Entry) -> list[Problem]:
        if entry.data["due_at"] <= entry.occurred_at:
            return [Problem("due_at", "promise.due_not_after_made", "due_at is not after occurred_at")]
        return []

    def _open_promise(self, entry: Entry) -> tuple[dict[str, Any] | None, list[Problem]]:
        """A promise that is live, unresolved and not released, not made after this entry."""
        promise_id = entry.data["promise"]
        promise, problems = self._parent("promise", promise_id, ("promise_made",))
        if promise is None:
            return None, problems
        if promise["outcome"] is not None:
            settled = self.ids[promise["outcome"]].removeprefix("promise_")
            problems.append(
                Problem("promise", "promise.already_settled", f"{promise_id!r} was already {settled}")
            )
        if promise["released"] is not None:
            problems.append(Problem("promise", "promise.released", f"{promise_id!r} was released"))
        if entry.occurred_at < promise["at"]:
            problems.append(Problem("occurred_at", "promise.before_made", f"before {promise_id!r} was made"))
        return promise, problems

    def _rules_settlement(self, entry: Entry) -> list[Problem]:
        return self._open_promise(entry)[1]

    def _rules_renegotiation(self, entry: Entry) -> list[Problem]:
        promise, problems = self._open_promise(entry)
        if promise is None or problems:
            return problems
        at = entry.occurred_at
        renegotiations = promise["renegotiations"]
        if renegotiations and at < max(r[1] for r in renegotiations):
            problems.append(
                Problem(
                    "occurred_at",
                    "promise.before_renegotiation",
                    "before the latest renegotiation of this promise",
                )
            )
            return problems
        due = self.current_due(entry.data["promise"], at)
        if at > due:
            problems.append(
                Problem("occurred_at", "promise.past_due", f"its due time {due.isoformat()} had passed")
            )
        if entry.data["due_at"] <= at:
            problems.append(
                Problem("due_at", "promise.due_not_after_made", "due_at is not after occurred_at")
            )
        return problems

    def _rules_release(self, entry: Entry) -> list[Problem]:
        promise, problems = self._open_promise(entry)
        if promise is None or problems:
            return problems
        due = self.current_due(entry.data["promise"], entry.occurred_at)
        if entry.occurred_at > due:
            problems.append(
                Problem(
                    "occurred_at",
                    "promise.release_after_due",
                    f"the promise lapsed at {due.isoformat()}; a lapsed promise cannot be erased",
                )
            )
        return problems

    def _rules_retraction(self, entry: Entry) -> list[Problem]:
        target = entry.data["entry"]
        kind = self.ids.get(target)
        if kind is None:
            return [Problem("entry", "ref.unknown", f"no entry {target!r} in this couple")]
        if kind in ("couple_registered", "entry_retracted"):
            return [Problem("entry", "retraction.not_retractable", f"{target!r} is a {kind}")]
        if target in self.retracted:
            return [Problem("entry", "retraction.already_retracted", f"{target!r} is already retracted")]
        return []

    # ------------------------------------------------------------------------------------------
    # Retraction: the entry, and what depends on it, is treated as never recorded.
    # ------------------------------------------------------------------------------------------
    def forget_entry(self, target: str) -> None:
        """Which entries go is `domain.retraction`'s to say; this keeps the rules' state in step."""
        parent_id = retract(target, self.parents, self.retracted)
        if target in self.conflicts:
            # Its resolution went with it; attempts linked to it stay, unlinked.
            del self.conflicts[target]
            for attempt in self.attempts.values():
                if attempt["conflict"] == target:
                    attempt["conflict"] = None
        elif target in self.attempts:
            del self.attempts[target]
        elif target in self.promises:
            del self.promises[target]
        elif parent_id is not None:
            # A dependent entry: its parent is open again for a new one.
            kind = self.ids[target]
            if kind == "conflict_resolved":
                self.conflicts[parent_id]["resolution"] = None
            elif kind in ("repair_accepted", "repair_declined"):
                self.attempts[parent_id]["outcome"] = None
            elif kind == "promise_renegotiated":
                promise = self.promises[parent_id]
                promise["renegotiations"] = [r for r in promise["renegotiations"] if r[0] != target]
            elif kind == "promise_released":
                self.promises[parent_id]["released"] = None
            else:
                self.promises[parent_id]["outcome"] = None


def _not_in_future(entry: Entry, recorded_at: datetime) -> list[Problem]:
    if entry.occurred_at > recorded_at + FUTURE_TOLERANCE:
        return [
            Problem(
                "occurred_at",
                "occurred_at.in_future",
                f"{entry.occurred_at.isoformat()} is more than 5 minutes after now",
            )
        ]
    return []


EVENTS: dict[str, type[Couple.Event]] = {
    cls.entry_type: cls
    for cls in vars(Couple).values()
    if isinstance(cls, type) and issubclass(cls, Couple.Event) and cls.entry_type
}

VERBS: dict[str, str] = {
    "conflict_started": "start_conflict",
    "conflict_resolved": "resolve_conflict",
    "repair_offered": "offer_repair",
    "repair_accepted": "accept_repair",
    "repair_declined": "decline_repair",
    "promise_made": "make_promise",
    "promise_kept": "keep_promise",
    "promise_broken": "break_promise",
    "promise_renegotiated": "renegotiate_promise",
    "promise_released": "release_promise",
    "check_in": "check_in",
    "bid_made": "make_bid",
    "appreciation_expressed": "express_appreciation",
    "entry_retracted": "retract_entry",
}
