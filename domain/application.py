"""`RepairTrack`: the only write API. It speaks plain values (mappings in the interchange format of SPEC
section 3 in; entry ids, entries and `Registration`s out) and records through the `Couple` aggregate,
which never leaves the domain."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError

from domain.app_base import Clock, StoreApplication, utc_now
from domain.couple import Couple
from domain.entries import Entry, parse_entry
from domain.errors import BatchRefused, EntryRefused, LineProblem, Problem
from domain.interface import Registration, entry_of_event, registration_of

__all__ = ["MAX_REPORTED_PROBLEMS", "Clock", "Progress", "RepairTrack", "utc_now"]

Progress = Callable[[str, int, int], None]  # (phase, done, total)

MAX_REPORTED_PROBLEMS = 100


class RepairTrack(StoreApplication):
    """Record entries for couples. Every call validates the whole batch against the stored history and
    then stores it in one transaction, or stores nothing."""

    name = "RepairTrack"
    is_snapshotting_enabled = True
    snapshot_interval = 200  # events between snapshots of a couple

    # ------------------------------------------------------------------------------------------
    # Writing.
    # ------------------------------------------------------------------------------------------
    def record(self, raw: Mapping[str, Any], *, source: str = "api") -> str:
        """Record one entry; return its id. Raises `EntryRefused` naming field and rule. `source` says
        how it reached us (the dashboard, the command line, ...)."""
        try:
            return self.record_batch([raw], source=source)[0]
        except BatchRefused as refused:
            raise EntryRefused([p.problem for p in refused.problems]) from None

    def record_batch(
        self,
        raws: Iterable[Any],
        *,
        lines: Sequence[int] | None = None,
        progress: Progress | None = None,
        source: str = "import",
    ) -> list[str]:
        """Record a batch (an import): all of it or nothing. Raises `BatchRefused` listing every problem
        (up to a cap) by line. Another writer changing the same couples meanwhile makes us check the
        whole batch again against the new history, a bounded number of times."""
        items = list(raws)
        numbers = list(lines) if lines is not None else list(range(1, len(items) + 1))

        def attempt() -> tuple[dict[str, Couple], list[str], dict[UUID, int]]:
            # Another writer recording for one of these couples since we loaded it makes the save
            # conflict: then everything is checked again against the new history.
            couples, ids = self._decide(items, numbers, progress, source)
            stored_before = {c.id: c.version - len(c.pending_events) for c in couples.values()}
            if progress is not None:
                progress("storing", 0, len(ids))
            self.save(*couples.values())
            return couples, ids, stored_before

        couples, ids, stored_before = self._retry_on_conflict(attempt, "recording for the same couple")
        self._snapshot(couples.values(), stored_before)
        if progress is not None:
            progress("storing", len(ids), len(ids))
        return ids

    # ------------------------------------------------------------------------------------------
    # Reading what the write side knows (plain values).
    # ------------------------------------------------------------------------------------------
    def exists(self, handle: str) -> bool:
        """Whether a couple with this handle is registered (its registration is stored)."""
        return bool(self.recorder.select_events(self.ids.couple_id(handle), limit=1))

    def describe(self, handle: str) -> Registration | None:
        """The couple's handle, time zone and partners (they never change once registered), or None
        when no couple has this handle."""
        couple = self._load(handle)
        return None if couple is None else registration_of(couple)

    def entries(self, handle: str, *, local_times: bool = True) -> list[dict[str, Any]]:
        """Every entry of a couple in recording order, in the interchange format (retractions and
        retracted entries included, as recorded)."""
        couple = self._load(handle)
        if couple is None:
            return []
        zone = ZoneInfo(couple.timezone) if local_times else None
        return [
            entry_of_event(event, handle, zone)  # type: ignore[arg-type]
            for event in self.events.get(couple.id)
        ]

    # ------------------------------------------------------------------------------------------
    def _load(self, handle: str) -> Couple | None:
        found: Couple | None = self._aggregate(self.ids.couple_id(handle))
        return found

    def _decide(
        self, items: list[Any], lines: list[int], progress: Progress | None, source: str
    ) -> tuple[dict[str, Couple], list[str]]:
        recorded_at = self.clock()
        couples: dict[str, Couple | None] = {}
        problems: list[LineProblem] = []
        count = 0
        ids: list[str] = []

        def refuse(line: int, found: list[Problem]) -> None:
            nonlocal count
            count += len(found)
            room = MAX_REPORTED_PROBLEMS - len(problems)
            problems.extend(LineProblem(line, p) for p in found[: max(room, 0)])

        for offset, (line, raw) in enumerate(zip(lines, items, strict=True)):
            if progress is not None and offset % 5000 == 0:
                progress("checking", offset, len(items))
            if isinstance(raw, Problem):  # the reader could not even parse this line
                refuse(line, [raw])
                continue
            try:
                entry = parse_entry(raw)
                entry_id = entry.id or str(uuid.uuid4())
                self._apply(entry, entry_id, recorded_at, couples, source)
            except EntryRefused as refused:
                refuse(line, refused.problems)
                continue
            ids.append(entry_id)
        if progress is not None:
            progress("checking", len(items), len(items))
        if problems:
            raise BatchRefused(problems, total=count)
        return {h: c for h, c in couples.items() if c is not None}, ids

    def _apply(
        self,
        entry: Entry,
        entry_id: str,
        recorded_at: datetime,
        couples: dict[str, Couple | None],
        source: str,
    ) -> None:
        if entry.couple not in couples:
            couples[entry.couple] = self._load(entry.couple)
        couple = couples[entry.couple]
        if entry.type == "couple_registered":
            if couple is not None:
                raise EntryRefused.single("couple", "couple.taken", f"{entry.couple!r} is already registered")
            couples[entry.couple] = Couple.register(
                entry, couple_id=self.ids.couple_id(entry.couple), entry_id=entry_id, recorded_at=recorded_at
            )
        elif couple is None:
            raise EntryRefused.single(
                "couple", "couple.unknown", f"no couple {entry.couple!r}; register it first"
            )
        else:
            couple.record(entry, entry_id=entry_id, recorded_at=recorded_at, source=source)

    def _snapshot(self, couples: Iterable[Couple], stored_before: dict[UUID, int]) -> None:
        """Snapshot each couple whose history just crossed a multiple of the interval, from the state
        already in memory (the library's own snapshotting would replay it from the store)."""
        assert self.snapshots is not None
        every = self.snapshot_interval
        for couple in couples:
            if couple.version // every > stored_before[couple.id] // every:
                with contextlib.suppress(IntegrityError):  # another process took the same one
                    self.snapshots.put([Couple.Snapshot.take(couple)])
