"""`StoreApplication`: what the three write APIs (`RepairTrack`, `Identity`, `CoupleAccessApp`) share. All
three keep their events in one event store, the one of the environment named "RepairTrack" (on PostgreSQL
the same table), configured only by the composition root; each loads an aggregate as None when it is not
there, and a writer that meets another writer's change (a version conflict) loads again and retries,
waiting a little, randomly and growing, so the writers fall out of step."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import Environment, EnvType

from domain.errors import StoreContention
from domain.ids import PLAIN_IDS, IdScheme

Clock = Callable[[], datetime]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreApplication(Application[UUID]):
    """The shared base: the clock, the id scheme and the retry budget, the environment, loading and the
    retry on conflict. Snapshotting is on by default only where the class enables it (`RepairTrack`);
    elsewhere it is always off."""

    store_name: ClassVar[str] = "RepairTrack"  # the environment's name decides the tables

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        clock: Clock = utc_now,
        retry_seconds: float = 120.0,
        ids: IdScheme = PLAIN_IDS,
    ) -> None:
        self.clock = clock
        self.ids = ids  # how names and handles become aggregate ids (keyed when the store is encrypted)
        self.retry_seconds = retry_seconds  # how long to keep retrying against concurrent writers
        super().__init__(env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Configuration comes only from the composition root, never from stray process variables
        (so an empty configuration cannot silently mean the in-memory store)."""
        values = dict(env or {})
        if self.is_snapshotting_enabled:
            values.setdefault("IS_SNAPSHOTTING_ENABLED", "y")
        else:
            values["IS_SNAPSHOTTING_ENABLED"] = "n"
        if "PERSISTENCE_MODULE" not in values:
            raise ValueError(f"{type(self).__name__} needs an explicit PERSISTENCE_MODULE")
        return Environment(self.store_name, values)

    def _aggregate(self, aggregate_id: UUID) -> Any:
        """The stored aggregate with this id, or None."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _notifications(self, topics: list[str], page: int) -> Iterator[Any]:
        """The stored notifications of these topics, oldest first, read `page` at a time."""
        start: int | None = None
        while batch := self.recorder.select_notifications(
            start, page, topics=topics, inclusive_of_start=False
        ):
            yield from batch
            start = batch[-1].id

    def _retry_on_conflict(self, attempt: Callable[[], T], contended: str) -> T:
        """Run `attempt` (which loads, decides and saves) until it saves without meeting another writer's
        change; after `retry_seconds` of conflicts, `StoreContention` ("other writers kept <contended>")."""
        deadline = time.monotonic() + self.retry_seconds
        conflicts = 0
        while True:
            try:
                return attempt()
            except IntegrityError:
                conflicts += 1
                if time.monotonic() > deadline:
                    raise StoreContention(
                        f"other writers kept {contended} for {self.retry_seconds:.0f} s"
                    ) from None
                time.sleep(random.uniform(0, min(0.002 * 2**conflicts, 0.25)))
