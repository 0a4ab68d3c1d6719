"""The `Couple` aggregate: everything two partners log, and the rules of SPEC section 3 that relate
entries to each other.

Why one aggregate per couple: every rule relates entries *of one couple* (an outcome to its offer, a
renegotiation to its promise, a retraction to any earlier entry) and no rule ever crosses couples. So the
couple is the consistency boundary: each rule is a check on one object, a batch of a couple's entries is
one atomic save, and two writers of the same couple meet as a version conflict the application retries.
A couple logs a handful of entries a day, so even years are a few thousand events; the application takes
a snapshot every `RepairTrack.snapshot_interval` events, so loading stays one snapshot plus a short tail.

Each command checks its rules first (written in its base `CoupleRules`, domain.couple_rules; a broken one
raises `EntryRefused` naming field and rule) and only then triggers its event; events only apply state
and never fail. Which entries a retraction takes with it is `domain.retraction`'s to say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.couple_rules import CoupleRules, not_in_future
from domain.entries import Entry
from domain.errors import EntryRefused, Problem
from domain.retraction import retract


def _command(rules: str, event: str) -> Callable[..., None]:
    """A `Couple` command: the common rules and the `rules` method's, then (only then) the `event` class
    (both named as attributes of the couple)."""

    def command(self: Couple, entry: Entry, *, entry_id: str, recorded_at: datetime, source: str) -> None:
        self._decide(entry, entry_id, recorded_at, source, getattr(self, rules), getattr(self, event))

    command.__doc__ = f"Record an entry as a {event} event, once it passes `{rules}`."
    return command


class Couple(CoupleRules, Aggregate):
    class_version = 1

    @staticmethod
    def create_id(handle: str) -> UUID:
        """Never used: a couple's id comes from the application's `IdScheme` (domain.ids), which
        knows whether the store is keyed. Refusing here keeps the library from making a random one."""
        raise TypeError("a couple's id comes from the application's IdScheme")

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
        entry_type: ClassVar[str] = "couple_registered"
        handle: str
        partners: list[dict[str, str]]
        timezone: str

    class ConflictStarted(Event):
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
        entry_type: ClassVar[str] = "conflict_resolved"
        conflict: str
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.conflicts[self.conflict]["resolution"] = self.entry_id
            couple.parents[self.entry_id] = self.conflict

    class RepairOffered(Event):
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

    class AttemptAnswered(Event):
        """The base of the two answers to a repair attempt (no entry type of its own)."""

        attempt: str

        def record(self, couple: Couple) -> None:
            couple.attempts[self.attempt]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.attempt

    class RepairAccepted(AttemptAnswered):
        entry_type: ClassVar[str] = "repair_accepted"

    class RepairDeclined(AttemptAnswered):
        entry_type: ClassVar[str] = "repair_declined"

    class PromiseMade(Event):
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

    class PromiseSettled(Event):
        """The base of the two settlements of a promise (no entry type of its own)."""

        promise: str
        note: str | None
        private: bool

        def record(self, couple: Couple) -> None:
            couple.promises[self.promise]["outcome"] = self.entry_id
            couple.parents[self.entry_id] = self.promise

    class PromiseKept(PromiseSettled):
        entry_type: ClassVar[str] = "promise_kept"

    class PromiseBroken(PromiseSettled):
        entry_type: ClassVar[str] = "promise_broken"

    class PromiseRenegotiated(Event):
        entry_type: ClassVar[str] = "promise_renegotiated"
        promise: str
        due_at: datetime

        def record(self, couple: Couple) -> None:
            renegotiations = couple.promises[self.promise]["renegotiations"]
            renegotiations.append([self.entry_id, self.occurred_at, self.due_at])
            couple.parents[self.entry_id] = self.promise

    class PromiseReleased(Event):
        entry_type: ClassVar[str] = "promise_released"
        promise: str

        def record(self, couple: Couple) -> None:
            couple.promises[self.promise]["released"] = self.entry_id
            couple.parents[self.entry_id] = self.promise

    class CheckedIn(Event):
        entry_type: ClassVar[str] = "check_in"
        by: str
        closeness: int
        trust: int
        csi4: list[int] | None
        note: str | None
        private: bool

    class BidMade(Event):
        entry_type: ClassVar[str] = "bid_made"
        by: str
        response: str
        note: str | None
        private: bool

    class AppreciationExpressed(Event):
        entry_type: ClassVar[str] = "appreciation_expressed"
        by: str
        note: str | None
        private: bool

    class EntryRetracted(Event):
        entry_type: ClassVar[str] = "entry_retracted"
        entry: str
        reason: str | None

        def record(self, couple: Couple) -> None:
            couple.forget_entry(self.entry)

    # ------------------------------------------------------------------------------------------
    # Commands.
    # ------------------------------------------------------------------------------------------
    @classmethod
    def register(
        cls, entry: Entry, *, couple_id: UUID, entry_id: str, recorded_at: datetime, source: str = "api"
    ) -> Couple:
        """Register a new couple under `couple_id` (the `IdScheme`'s id of its handle, which the application
        checked to be unused)."""
        problems = not_in_future(entry, recorded_at)
        handles = [p["handle"] for p in entry.data["partners"]]
        if entry.logged_by is not None and entry.logged_by not in handles:
            problems.append(
                Problem("logged_by", "partner.unknown", f"{entry.logged_by!r} is not one of {handles}")
            )
        if problems:
            raise EntryRefused(problems, entry_id=entry_id)
        return cls._create(
            cls.Registered,
            id=couple_id,
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

    # The commands, one verb an entry type: each checks its type's rules, then triggers its event.
    start_conflict = _command("_no_more_rules", "ConflictStarted")
    resolve_conflict = _command("_rules_resolution", "ConflictResolved")
    offer_repair = _command("_rules_offer", "RepairOffered")
    accept_repair = _command("_rules_answer", "RepairAccepted")
    decline_repair = _command("_rules_answer", "RepairDeclined")
    make_promise = _command("_rules_promise_made", "PromiseMade")
    keep_promise = _command("_rules_settlement", "PromiseKept")
    break_promise = _command("_rules_settlement", "PromiseBroken")
    renegotiate_promise = _command("_rules_renegotiation", "PromiseRenegotiated")
    release_promise = _command("_rules_release", "PromiseReleased")
    check_in = _command("_no_more_rules", "CheckedIn")
    make_bid = _command("_no_more_rules", "BidMade")
    express_appreciation = _command("_no_more_rules", "AppreciationExpressed")
    retract_entry = _command("_rules_retraction", "EntryRetracted")

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
