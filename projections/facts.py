"""The facts read model: one DuckDB row per recorded entry, appended in recording order.

The projection only appends. Retraction is applied where the rows are read: the `live` view leaves out
every retracted entry and what depends on it (SPEC section 3) and unlinks repair attempts from a retracted
conflict. So a batch is one INSERT of Arrow columns plus its tracking position, in one transaction: a
crash anywhere leaves the view at the previous batch, and a restart neither loses nor double-counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import duckdb
import orjson
import pyarrow as pa
from eventsourcing.persistence import ApplicationRecorder, Cipher, Notification, Tracking

from domain.interface import is_entry_topic, upcast_stored
from domain.retraction import PARENT_FIELD, REFERENCE_FIELD
from domain.vocabulary import CSI4_RANGES, HORSEMEN
from projections.sealing import Sealer
from projections.tracking import TRACKING_DDL, DuckDBTrackingRecorder

SCHEMA_VERSION = "5"  # 5: entry ids keyed (and sealed for display) when the store is encrypted
SOURCE = "RepairTrack"  # the upstream application's name in the tracking table
BATCH_SIZE = 20_000

CHILD_TYPES = tuple(PARENT_FIELD)  # entries that go when their parent is retracted
REF_FIELD = REFERENCE_FIELD  # the field whose entry id the `ref` column holds
CSI4_COLUMNS = tuple(f"csi4_{i}" for i in range(1, len(CSI4_RANGES) + 1))

ENTRIES_SCHEMA = pa.schema(
    [
        ("couple_id", pa.string()),
        ("position", pa.int64()),
        ("entry_id", pa.string()),
        ("entry_id_sealed", pa.string()),
        ("type", pa.string()),
        ("occurred_at", pa.string()),
        ("recorded_at", pa.string()),
        ("logged_by", pa.uint8()),
        ("actor", pa.uint8()),
        ("ref", pa.string()),
        ("ref_sealed", pa.string()),
        ("due_at", pa.string()),
        ("topic", pa.string()),
        ("topic_key", pa.string()),
        *[(name, pa.bool_()) for name in HORSEMEN],
        ("intensity", pa.uint8()),
        ("kind", pa.string()),
        ("response", pa.string()),
        ("closeness", pa.uint8()),
        ("trust", pa.uint8()),
        *[(name, pa.uint8()) for name in CSI4_COLUMNS],
        ("note", pa.string()),
        ("private", pa.bool_()),
        ("description", pa.string()),
        ("reason", pa.string()),
        ("source", pa.string()),
    ]
)
_TIME_COLUMNS = ("occurred_at", "recorded_at", "due_at")

DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    TRACKING_DDL,
    """
    CREATE TABLE IF NOT EXISTS couples (
        couple_id UUID PRIMARY KEY,
        handle VARCHAR,        -- sealed when the store is encrypted
        timezone VARCHAR,
        partner_a VARCHAR,     -- sealed handle of the partner listed first
        partner_b VARCHAR,
        name_a VARCHAR,        -- sealed display names
        name_b VARCHAR,
        registered_at TIMESTAMP,
        position BIGINT
    )""",
    f"""
    CREATE TABLE IF NOT EXISTS entries (
        couple_id UUID NOT NULL,
        position BIGINT NOT NULL,       -- notification id: the recording order
        entry_id VARCHAR NOT NULL,      -- the entry's id, or its keyed hash when encrypted (for joins)
        entry_id_sealed VARCHAR NOT NULL, -- the entry's id, sealed when encrypted (for display)
        type VARCHAR NOT NULL,
        occurred_at TIMESTAMP NOT NULL, -- UTC
        recorded_at TIMESTAMP NOT NULL, -- UTC
        logged_by UTINYINT,             -- 0 = partner listed first, 1 = second
        actor UTINYINT,                 -- the entry's `by`, as a partner index
        ref VARCHAR,                    -- the entry this one is about (see REF_FIELD), as entry_id
        ref_sealed VARCHAR,             -- the same, as entry_id_sealed
        due_at TIMESTAMP,               -- promise_made, promise_renegotiated
        topic VARCHAR,                  -- sealed when encrypted
        topic_key VARCHAR,              -- the topic, or its keyed hash when encrypted
        {", ".join(f"{name} BOOLEAN" for name in HORSEMEN)},
        intensity UTINYINT,
        kind VARCHAR,
        response VARCHAR,
        closeness UTINYINT,
        trust UTINYINT,
        {", ".join(f"{name} UTINYINT" for name in CSI4_COLUMNS)},
        note VARCHAR,                   -- sealed when encrypted
        private BOOLEAN,
        description VARCHAR,            -- sealed when encrypted
        reason VARCHAR,                 -- sealed when encrypted
        source VARCHAR                  -- how the entry reached the store (import, cli, dashboard, ...)
    )""",
    # The entries that exist: neither retracted nor depending on a retracted entry; repair attempts
    # of a retracted conflict stay, unlinked (SPEC section 3, entry_retracted; the write side's
    # `domain.retraction` says the same over the aggregate).
    f"""
    CREATE OR REPLACE VIEW live AS
    WITH retracted AS (
        SELECT couple_id, ref AS target FROM entries WHERE type = 'entry_retracted'
    )
    SELECT e.* REPLACE (
        CASE WHEN e.type = 'repair_offered' AND parent.target IS NOT NULL THEN NULL ELSE e.ref END AS ref,
        CASE WHEN e.type = 'repair_offered' AND parent.target IS NOT NULL THEN NULL ELSE e.ref_sealed END
            AS ref_sealed
    )
    FROM entries e
    LEFT JOIN retracted self ON self.couple_id = e.couple_id AND self.target = e.entry_id
    LEFT JOIN retracted parent ON parent.couple_id = e.couple_id AND parent.target = e.ref
    WHERE self.target IS NULL
      AND NOT (parent.target IS NOT NULL AND e.type IN ({", ".join(f"'{t}'" for t in CHILD_TYPES)}))
    """,
]


class FactsProjection:
    """Catches the DuckDB view up with the event store, in batches of Arrow rows."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        source: ApplicationRecorder,
        *,
        cipher: Cipher | None = None,
        sealer: Sealer,
        sealing: str = "plain",
    ) -> None:
        self.con = connection
        self.sealing = sealing  # 'plain' or the fingerprint of the key the text is sealed with
        self.source = source
        self.cipher = cipher
        self.sealer = sealer
        self.tracking = DuckDBTrackingRecorder(lambda: connection)
        self._partners: dict[str, dict[str, int]] = {}

    # ------------------------------------------------------------------------------------------
    def ensure_schema(self) -> bool:
        """Create the tables; drop and recreate them when the code's schema version, or the way text
        is sealed, differs. Returns True when the view was (re)created empty."""
        wanted = {"schema_version": SCHEMA_VERSION, "sealing": self.sealing}
        found: dict[str, str] = {}
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "meta" in tables:
            found = dict(self.con.execute("SELECT key, value FROM meta").fetchall())
        if found == wanted:
            return False
        self.drop()
        for statement in DDL:
            self.con.execute(statement)
        self.con.executemany("INSERT INTO meta VALUES (?, ?)", list(wanted.items()))
        return True

    def drop(self) -> None:
        self.con.execute("DROP VIEW IF EXISTS live")
        for table in ("entries", "couples", "tracking", "meta"):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")
        self._partners.clear()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        self.drop()
        self.ensure_schema()
        return self.catch_up(progress=progress)

    @property
    def position(self) -> int:
        return self.tracking.max_tracking_id(SOURCE) or 0

    def catch_up(
        self, *, batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Process every notification after the tracked position; return how many."""
        done = 0
        position = self.position
        target = (self.source.max_notification_id() or 0) if progress else 0
        while True:
            notifications = self.source.select_notifications(
                start=position, limit=batch_size, inclusive_of_start=False
            )
            if not notifications:
                return done
            self._write_batch(notifications)
            position = notifications[-1].id
            done += len(notifications)
            if progress:
                progress(position, target)

    # ------------------------------------------------------------------------------------------
    def _write_batch(self, notifications: Sequence[Notification]) -> None:
        columns: dict[str, list[Any]] = {name: [] for name in ENTRIES_SCHEMA.names}
        couples: list[dict[str, Any]] = []
        for note in notifications:
            if is_entry_topic(note.topic):  # accounts and access records are not entries
                self._decode(note, columns, couples)
        table = pa.table(
            {name: pa.array(values, ENTRIES_SCHEMA.field(name).type) for name, values in columns.items()}
        )
        for name in _TIME_COLUMNS:
            index = table.schema.get_field_index(name)
            utc = table.column(name).cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
            table = table.set_column(index, name, utc)
        self.con.execute("BEGIN TRANSACTION")
        try:
            if couples:
                rows = pa.Table.from_pylist(couples)
                index = rows.schema.get_field_index("registered_at")
                registered = rows.column(index).cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
                self.con.register("batch_couples", rows.set_column(index, "registered_at", registered))
                self.con.execute(
                    "INSERT INTO couples SELECT * REPLACE (couple_id::UUID AS couple_id) FROM batch_couples"
                )
                self.con.unregister("batch_couples")
            self.con.register("batch_entries", table)
            self.con.execute(
                "INSERT INTO entries SELECT * REPLACE (couple_id::UUID AS couple_id) FROM batch_entries"
            )
            self.con.unregister("batch_entries")
            DuckDBTrackingRecorder.insert_tracking_in(self.con, Tracking(SOURCE, notifications[-1].id))
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _decode(
        self, note: Notification, columns: dict[str, list[Any]], couples: list[dict[str, Any]]
    ) -> None:
        raw = note.state if self.cipher is None else self.cipher.decrypt(note.state)
        state: dict[str, Any] = orjson.loads(raw)
        entry_type = upcast_stored(note.topic, state)
        couple_id = str(note.originator_id)
        seal = self.sealer.seal
        if entry_type == "couple_registered":
            handles = [p["handle"] for p in state["partners"]]
            self._partners[couple_id] = {handles[0]: 0, handles[1]: 1}
            couples.append(
                {
                    "couple_id": couple_id,
                    "handle": seal(state["handle"]),
                    "timezone": state["timezone"],
                    "partner_a": seal(handles[0]),
                    "partner_b": seal(handles[1]),
                    "name_a": seal(state["partners"][0]["name"]),
                    "name_b": seal(state["partners"][1]["name"]),
                    "registered_at": state["occurred_at"]["_data_"],
                    "position": note.id,
                }
            )
        partners = self._partners.get(couple_id) or self._load_partners(couple_id)
        get = state.get
        columns["couple_id"].append(couple_id)
        columns["position"].append(note.id)
        entry_id = state["entry_id"]
        columns["entry_id"].append(self._id_key(couple_id, entry_id))
        columns["entry_id_sealed"].append(seal(entry_id))
        columns["type"].append(entry_type)
        columns["occurred_at"].append(state["occurred_at"]["_data_"])
        columns["recorded_at"].append(state["timestamp"]["_data_"])
        logged_by = get("logged_by")
        columns["logged_by"].append(None if logged_by is None else partners[logged_by])
        by = get("by")
        columns["actor"].append(None if by is None else partners[by])
        ref_field = REF_FIELD.get(entry_type)
        ref = get(ref_field) if ref_field else None
        columns["ref"].append(None if ref is None else self._id_key(couple_id, ref))
        columns["ref_sealed"].append(seal(ref))
        due = get("due_at")
        columns["due_at"].append(None if due is None else due["_data_"])
        topic = get("topic")
        columns["topic"].append(seal(topic))
        columns["topic_key"].append(None if topic is None else self.sealer.key_of(topic))
        horsemen = get("horsemen")
        for name in HORSEMEN:
            columns[name].append(None if horsemen is None else name in horsemen)
        columns["intensity"].append(get("intensity"))
        columns["kind"].append(get("kind"))
        columns["response"].append(get("response"))
        columns["closeness"].append(get("closeness"))
        columns["trust"].append(get("trust"))
        csi4 = get("csi4") or [None] * len(CSI4_COLUMNS)
        for name, answer in zip(CSI4_COLUMNS, csi4, strict=True):
            columns[name].append(answer)
        columns["note"].append(seal(get("note")))
        columns["private"].append(get("private"))
        columns["description"].append(seal(get("description")))
        columns["reason"].append(seal(get("reason")))
        columns["source"].append(get("source"))

    def _id_key(self, couple_id: str, entry_id: str) -> str:
        """What joins compare for an entry id: the id itself, or, when encrypted, a keyed hash of it
        within its couple (so equal ids of two couples do not even look alike)."""
        return self.sealer.key_of(f"{couple_id}/{entry_id}") if self.sealer.encrypted else entry_id

    def _load_partners(self, couple_id: str) -> dict[str, int]:
        rows = self.con.execute(
            "SELECT partner_a, partner_b FROM couples WHERE couple_id = ?", [UUID(couple_id)]
        ).fetchall()
        if not rows:
            raise LookupError(f"couple {couple_id} has events but no registration in the view")
        first, second = (self.sealer.open(h) for h in rows[0])
        self._partners[couple_id] = {str(first): 0, str(second): 1}
        return self._partners[couple_id]
