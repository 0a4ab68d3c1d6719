"""Sharing one DuckDB read model between the dashboard and any number of commands.

DuckDB lets one process hold a file open for writing, cannot wait for a lock, and a second process
cannot even open the file read-only meanwhile. So every use of the read model goes through `open()`:
take a file lock (waiting in turn, up to a generous cap), open DuckDB, catch up with the event store (so the
caller sees every entry stored before it started), use it, close, release. Writers of events never touch
DuckDB. The dashboard opens it once per rerun and reuses that connection for the whole rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
import polars as pl
from eventsourcing.persistence import ApplicationRecorder, Cipher
from filelock import FileLock, Timeout

from domain.errors import Refusal
from domain.ids import PLAIN_IDS, IdScheme
from domain.limits import DEFAULT_WINDOW_DAYS
from domain.vocabulary import HORSEMEN
from projections.facts import CSI4_COLUMNS, FactsProjection
from projections.filters import EVERY_ENTRY, TimelineFilter
from projections.metrics import COLUMNS, CoupleInfo, Metrics, naive_utc
from projections.sealing import Sealer


class ReadModelBusy(Refusal):
    """Another process held the read model for longer than we wait."""

    transient = True


class UnknownCouple(Refusal, LookupError):
    """No couple registered under the handle asked about."""


class ReadModel:
    def __init__(
        self,
        path: Path,
        source: ApplicationRecorder,
        *,
        sealer: Sealer,
        cipher: Cipher | None = None,
        ids: IdScheme = PLAIN_IDS,
        lock_timeout: float = 120.0,
        sealing: str = "plain",
    ) -> None:
        self.path = path
        self.ids = ids  # the write side's scheme: how a handle becomes its couple's id
        self.sealing = sealing
        self.lock = FileLock(str(path) + ".lock", timeout=lock_timeout, mode=0o600)  # private to its user
        # Taking turns: whoever waits for the lock holds this one meanwhile, so a process that opens the
        # read model again and again (a busy dashboard) queues behind a waiting command instead of taking
        # the lock back at once (the lock is polled, not queued).
        self.turn = FileLock(str(path) + ".turn.lock", timeout=lock_timeout, mode=0o600)
        self.source = source
        self.sealer = sealer
        self.cipher = cipher

    @contextmanager
    def open(
        self, *, catch_up: bool = True, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[View]:
        try:
            if self.lock.is_locked:  # this thread holds it already (an open within an open): no turn
                self.lock.acquire()
            else:
                with self.turn:
                    self.lock.acquire()
        except Timeout:
            raise ReadModelBusy(
                "read-model",
                "read_model.busy",
                f"the read model {self.path} stayed in use by another process for more than "
                f"{self.lock.timeout:.0f} s",
            ) from None
        try:
            connection = duckdb.connect(str(self.path), config={"threads": 2})
            try:
                facts = FactsProjection(
                    connection, self.source, cipher=self.cipher, sealer=self.sealer, sealing=self.sealing
                )
                facts.ensure_schema()
                if catch_up:
                    facts.catch_up(progress=progress)
                yield View(connection, self.sealer, facts, self.ids)
            finally:
                connection.close()
        finally:
            self.lock.release()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Drop the projection and rebuild it from the event store."""
        with self.open(catch_up=False) as view:
            return view.facts.rebuild(progress=progress)


class View:
    """Plain query functions over an open read model."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        sealer: Sealer,
        facts: FactsProjection,
        ids: IdScheme = PLAIN_IDS,
    ) -> None:
        self.con = connection
        self.sealer = sealer
        self.facts = facts
        self.ids = ids

    def couple_id(self, handle: str) -> UUID:
        return self.ids.couple_id(handle)

    def couple(self, handle: str) -> CoupleInfo:
        rows = self.con.execute(
            "SELECT timezone, partner_a, partner_b FROM couples WHERE couple_id = ?",
            [self.couple_id(handle)],
        ).fetchall()
        if not rows:
            raise UnknownCouple("couple", "couple.unknown", f"no couple {handle!r}")
        timezone, first, second = rows[0]
        return CoupleInfo(handle, timezone, (str(self.sealer.open(first)), str(self.sealer.open(second))))

    def couples(self) -> list[dict[str, Any]]:
        """Every couple: handle, time zone, partners (handles and names), entries logged."""
        rows = self.con.execute(
            """
            SELECT c.handle, c.timezone, c.partner_a, c.name_a, c.partner_b, c.name_b, c.registered_at,
                   (SELECT count(*) FROM entries e WHERE e.couple_id = c.couple_id) AS entries
            FROM couples c ORDER BY c.position
            """
        ).fetchall()
        opened = self.sealer.open
        return [
            {
                "handle": opened(r[0]),
                "timezone": r[1],
                "partners": [
                    {"handle": opened(r[2]), "name": opened(r[3])},
                    {"handle": opened(r[4]), "name": opened(r[5])},
                ],
                "registered_at": r[6].replace(tzinfo=UTC),
                "entries": int(r[7]),
            }
            for r in rows
        ]

    def rows(self, handle: str, as_of: datetime, columns: str = COLUMNS) -> pl.DataFrame:
        """The live entries of a couple with occurred_at <= as_of, in recording order."""
        relation = self.con.sql(
            f"SELECT {columns} FROM live WHERE couple_id = $couple AND occurred_at <= $as_of "
            "ORDER BY position",
            params={"couple": self.couple_id(handle), "as_of": naive_utc(as_of)},
        )
        frame = pl.from_arrow(relation.to_arrow_table())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def metrics(
        self, handle: str, *, as_of: datetime | None = None, window_days: int = DEFAULT_WINDOW_DAYS
    ) -> dict[str, Any]:
        """The metrics object of SPEC section 4 for one couple."""
        moment = as_of or datetime.now(UTC)
        couple = self.couple(handle)
        return Metrics(
            self.rows(handle, moment), couple, moment, window_days, open_topic=self.sealer.open
        ).compute()

    def timeline(
        self, handle: str, only: TimelineFilter = EVERY_ENTRY, *, viewer: str | None = None
    ) -> list[dict[str, Any]]:
        """Every entry of a couple (`only` those the filter keeps), newest first, with `retracted` true for
        entries that do not exist (retracted themselves or through their parent). A private note is shown
        only to its author (`viewer`); anyone else sees `note_hidden` instead."""
        couple = self.couple(handle)
        where = ["e.couple_id = $couple"]
        params: dict[str, Any] = {"couple": self.couple_id(handle)}
        if only.types:
            where.append("e.type IN (SELECT unnest($types))")
            params["types"] = list(only.types)
        if only.partner is not None:
            where.append("(e.actor = $who OR (e.actor IS NULL AND e.logged_by = $who))")
            params["who"] = couple.partners.index(only.partner)
        if only.since is not None:
            where.append("e.occurred_at >= $since")
            params["since"] = naive_utc(only.since)
        if only.until is not None:
            where.append("e.occurred_at <= $until")
            params["until"] = naive_utc(only.until)
        limit = only.limit
        query = f"""
            SELECT e.* EXCLUDE (couple_id), l.entry_id IS NULL AS retracted
            FROM entries e
            LEFT JOIN (SELECT entry_id FROM live WHERE couple_id = $couple) l USING (entry_id)
            WHERE {" AND ".join(where)}
            ORDER BY e.occurred_at DESC, e.position DESC
            {"LIMIT " + str(int(limit)) if limit else ""}
        """
        return self._present(self.con.sql(query, params=params), couple, viewer)

    def _present(
        self, relation: duckdb.DuckDBPyRelation, couple: CoupleInfo, viewer: str | None
    ) -> list[dict[str, Any]]:
        """Rows of `entries` as plain values: aware UTC times, partner handles, opened text and ids,
        csi4 as a list, horsemen as names; a private note replaced by `note_hidden` unless the viewer
        wrote it."""
        names = relation.columns
        opened = self.sealer.open
        result = []
        for values in relation.fetchall():
            row = dict(zip(names, values, strict=True))
            for name in ("occurred_at", "recorded_at", "due_at"):
                if row.get(name) is not None:
                    row[name] = row[name].replace(tzinfo=UTC)
            for name in ("actor", "logged_by"):
                index = row.pop(name)
                row["by" if name == "actor" else name] = None if index is None else couple.partners[index]
            author = row["logged_by"] or row["by"]
            note = opened(row["note"])
            row["note_hidden"] = bool(row["private"]) and note is not None and author != viewer
            row["note"] = None if row["note_hidden"] else note
            for name in ("topic", "description", "reason"):
                row[name] = opened(row[name])
            row["entry_id"] = opened(row.pop("entry_id_sealed"))  # the keyed column is for joins only
            row["ref"] = opened(row.pop("ref_sealed"))
            row.pop("topic_key")
            answers = [row.pop(name) for name in CSI4_COLUMNS]
            row["csi4"] = None if answers[0] is None else answers
            flags = [row.pop(h) for h in HORSEMEN]
            row["horsemen"] = (
                [h for h, f in zip(HORSEMEN, flags, strict=True) if f] if flags[0] is not None else None
            )
            result.append(row)
        return result

    def waiting(self, handle: str, partner: str, *, viewer: str | None = None) -> dict[str, Any]:
        """What waits on `partner` now: repair attempts the *other* partner offered that have no
        answer yet, this partner's open promises (no outcome, not released; with their current due
        time), and the couple's unresolved conflicts."""
        couple = self.couple(handle)
        me = couple.partners.index(partner)
        params = {"couple": self.couple_id(handle), "me": me}
        mine = "SELECT * FROM live WHERE couple_id = $couple"
        attempts = f"""
            WITH mine AS ({mine})
            SELECT o.* EXCLUDE (couple_id) FROM mine o
            WHERE o.type = 'repair_offered' AND o.actor <> $me
              AND NOT EXISTS (SELECT 1 FROM mine a WHERE a.ref = o.entry_id
                              AND a.type IN ('repair_accepted', 'repair_declined'))
            ORDER BY o.occurred_at
        """
        conflicts = f"""
            WITH mine AS ({mine})
            SELECT k.* EXCLUDE (couple_id) FROM mine k
            WHERE k.type = 'conflict_started'
              AND NOT EXISTS (SELECT 1 FROM mine r WHERE r.ref = k.entry_id AND r.type = 'conflict_resolved')
            ORDER BY k.occurred_at
        """
        return {
            "attempts": self._present(self.con.sql(attempts, params=params), couple, viewer),
            "promises": [p for p in self.open_promises(handle, viewer=viewer) if p["by"] == partner],
            "conflicts": self._present(
                self.con.sql(conflicts, params={"couple": params["couple"]}), couple, viewer
            ),
        }

    def open_promises(
        self, handle: str, *, as_of: datetime | None = None, viewer: str | None = None
    ) -> list[dict[str, Any]]:
        """The promises that exist and are still open -- no outcome, not released -- each with its
        *current due time* as `due_at`: the due_at of its renegotiation with the latest occurred_at
        (ties: the one recorded later), else its own (SPEC section 4). With `as_of`, as of that moment:
        only entries that occurred by then count. Soonest due first (then the earliest made)."""
        params: dict[str, Any] = {"couple": self.couple_id(handle)}
        until = ""
        if as_of is not None:
            until = " AND occurred_at <= $as_of"
            params["as_of"] = naive_utc(as_of)
        query = f"""
            WITH mine AS (SELECT * FROM live WHERE couple_id = $couple{until}),
            current AS (
                SELECT ref, arg_max(due_at, (occurred_at, position)) AS due
                FROM mine WHERE type = 'promise_renegotiated' GROUP BY ref
            )
            SELECT p.* EXCLUDE (couple_id, due_at), coalesce(c.due, p.due_at) AS due_at FROM mine p
            LEFT JOIN current c ON c.ref = p.entry_id
            WHERE p.type = 'promise_made'
              AND NOT EXISTS (SELECT 1 FROM mine s WHERE s.ref = p.entry_id
                              AND s.type IN ('promise_kept', 'promise_broken', 'promise_released'))
            ORDER BY due_at, p.occurred_at, p.position
        """
        return self._present(self.con.sql(query, params=params), self.couple(handle), viewer)

    def kept_early(
        self, handle: str, *, as_of: datetime | None = None, viewer: str | None = None
    ) -> list[dict[str, Any]]:
        """The promises kept before their current due time, as of `as_of` (default now): a keep by then,
        the due time still after it. SPEC section 4 counts them only from their due time on, so until
        then no figure shows them; the pages say "kept early, counts on <due date>". Each row is the
        promise with its current due time as `due_at` and the keep's `occurred_at` as `kept_at`; soonest
        due first."""
        moment = naive_utc(as_of or datetime.now(UTC))
        params: dict[str, Any] = {"couple": self.couple_id(handle), "as_of": moment}
        query = """
            WITH mine AS (SELECT * FROM live WHERE couple_id = $couple AND occurred_at <= $as_of),
            current AS (
                SELECT ref, arg_max(due_at, (occurred_at, position)) AS due
                FROM mine WHERE type = 'promise_renegotiated' GROUP BY ref
            ),
            keeps AS (
                SELECT ref, min(occurred_at) AS kept_at FROM mine WHERE type = 'promise_kept' GROUP BY ref
            )
            SELECT p.* EXCLUDE (couple_id, due_at), coalesce(c.due, p.due_at) AS due_at, k.kept_at
            FROM mine p
            JOIN keeps k ON k.ref = p.entry_id
            LEFT JOIN current c ON c.ref = p.entry_id
            WHERE p.type = 'promise_made' AND coalesce(c.due, p.due_at) > $as_of
              AND NOT EXISTS (SELECT 1 FROM mine s WHERE s.ref = p.entry_id AND s.type = 'promise_released')
            ORDER BY due_at, p.occurred_at, p.position
        """
        rows = self._present(self.con.sql(query, params=params), self.couple(handle), viewer)
        for row in rows:
            row["kept_at"] = row["kept_at"].replace(tzinfo=UTC)
        return rows
