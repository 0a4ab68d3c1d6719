"""Sessions, personal tokens, sign-in history and the throttle's record (SPEC section 8), in tables of the
SAME database as the events (the SQLite file `events.sqlite`, or PostgreSQL), so several app servers share
them. Only SHA-256 hashes of session cookies and tokens are stored; moments are seconds since the epoch.

One interface, `SessionStore`, two databases: `SqliteSessionStore` (sqlite3, one short connection per call,
writes in `BEGIN IMMEDIATE` transactions) and `PostgresSessionStore` (psycopg, a small pool). The SQL is
written once with `?` markers; the PostgreSQL store turns them into `%s`.

`DatabaseThrottle` is the throttle's `ThrottleStore` over the table `rt_throttle`: its `locked` is a write
transaction (`BEGIN IMMEDIATE` on SQLite; on PostgreSQL a transaction holding an advisory lock), so every
process on the database sees one record."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from repairtrack.services.throttle import KeyRecord

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rt_sessions (
        session_hash VARCHAR(64) PRIMARY KEY,
        account VARCHAR(64) NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        last_used_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rt_sessions_account ON rt_sessions (account)",
    """CREATE TABLE IF NOT EXISTS rt_tokens (
        token_id VARCHAR(32) PRIMARY KEY,
        token_hash VARCHAR(64) NOT NULL UNIQUE,
        account VARCHAR(64) NOT NULL,
        label TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL,
        expires_at DOUBLE PRECISION,
        last_used_at DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS rt_tokens_account ON rt_tokens (account)",
    """CREATE TABLE IF NOT EXISTS rt_signins (
        account VARCHAR(64) NOT NULL,
        at DOUBLE PRECISION NOT NULL,
        address TEXT NOT NULL,
        success BOOLEAN NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rt_signins_account ON rt_signins (account, at)",
    """CREATE TABLE IF NOT EXISTS rt_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure DOUBLE PRECISION NOT NULL,
        busy_until DOUBLE PRECISION NOT NULL,
        busy_ticket BIGINT NOT NULL)""",
]
TABLES = ("rt_sessions", "rt_tokens", "rt_signins", "rt_throttle")


@dataclass(frozen=True, slots=True)
class SessionRow:
    account: str
    created_at: float
    last_used_at: float


@dataclass(frozen=True, slots=True)
class TokenRow:
    token_id: str
    account: str
    label: str
    created_at: float
    expires_at: float | None
    last_used_at: float | None


@dataclass(frozen=True, slots=True)
class SigninRow:
    account: str
    at: float
    address: str
    success: bool


class Cursor(Protocol):
    @property
    def description(self) -> Any: ...

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SessionStore:
    """The queries, written once; a subclass says how to open a write transaction (`_transaction`)."""

    marker = "?"

    def _transaction(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def _throttle_lock(self, cursor: Cursor) -> None:
        """Inside a write transaction, make it exclusive among throttle users (SQLite's already is)."""

    def close(self) -> None:
        """Release connections (nothing for SQLite)."""

    def _q(self, sql: str) -> str:
        return sql if self.marker == "?" else sql.replace("?", self.marker)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._transaction() as cursor:
            cursor.execute(self._q(sql), list(params))
            return [] if cursor.description is None else list(cursor.fetchall())

    def create_schema(self) -> None:
        with self._transaction() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)

    # --- sessions -------------------------------------------------------------------------------
    def add_session(self, session_hash: str, account: str, now: float) -> None:
        self._run("INSERT INTO rt_sessions VALUES (?, ?, ?, ?)", [session_hash, account, now, now])

    def session(self, session_hash: str) -> SessionRow | None:
        rows = self._run(
            "SELECT account, created_at, last_used_at FROM rt_sessions WHERE session_hash = ?", [session_hash]
        )
        return SessionRow(str(rows[0][0]), float(rows[0][1]), float(rows[0][2])) if rows else None

    def touch_session(self, session_hash: str, now: float) -> None:
        self._run("UPDATE rt_sessions SET last_used_at = ? WHERE session_hash = ?", [now, session_hash])

    def end_session(self, session_hash: str) -> None:
        self._run("DELETE FROM rt_sessions WHERE session_hash = ?", [session_hash])

    def sessions_of(self, account: str) -> int:
        rows = self._run("SELECT count(*) FROM rt_sessions WHERE account = ?", [account])
        return int(rows[0][0])

    def end_account(self, account: str) -> None:
        """End every session and token of an account at once."""
        with self._transaction() as cursor:
            cursor.execute(self._q("DELETE FROM rt_sessions WHERE account = ?"), [account])
            cursor.execute(self._q("DELETE FROM rt_tokens WHERE account = ?"), [account])

    # --- personal tokens --------------------------------------------------------------------------
    def add_token(
        self, token_id: str, token_hash: str, account: str, label: str, now: float, expires_at: float | None
    ) -> None:
        self._run(
            "INSERT INTO rt_tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [token_id, token_hash, account, label, now, expires_at],
        )

    def token(self, token_hash: str) -> TokenRow | None:
        rows = self._run(
            "SELECT token_id, account, label, created_at, expires_at, last_used_at FROM rt_tokens "
            "WHERE token_hash = ?",
            [token_hash],
        )
        return _token_row(rows[0]) if rows else None

    def touch_token(self, token_hash: str, now: float) -> None:
        self._run("UPDATE rt_tokens SET last_used_at = ? WHERE token_hash = ?", [now, token_hash])

    def tokens(self, account: str) -> list[TokenRow]:
        rows = self._run(
            "SELECT token_id, account, label, created_at, expires_at, last_used_at FROM rt_tokens "
            "WHERE account = ? ORDER BY created_at, token_id",
            [account],
        )
        return [_token_row(row) for row in rows]

    def revoke_token(self, account: str, token_id: str) -> bool:
        with self._transaction() as cursor:
            cursor.execute(
                self._q("SELECT count(*) FROM rt_tokens WHERE account = ? AND token_id = ?"),
                [account, token_id],
            )
            (found,) = cursor.fetchone()
            cursor.execute(
                self._q("DELETE FROM rt_tokens WHERE account = ? AND token_id = ?"), [account, token_id]
            )
        return bool(found)

    # --- sign-in history --------------------------------------------------------------------------
    def add_signin(self, account: str, at: float, address: str, success: bool) -> None:
        self._run("INSERT INTO rt_signins VALUES (?, ?, ?, ?)", [account, at, address, success])

    def signins(self, account: str, limit: int = 50) -> list[SigninRow]:
        rows = self._run(
            "SELECT account, at, address, success FROM rt_signins WHERE account = ? ORDER BY at DESC LIMIT ?",
            [account, limit],
        )
        return [SigninRow(str(r[0]), float(r[1]), str(r[2]), bool(r[3])) for r in rows]

    # --- the throttle -----------------------------------------------------------------------------
    def throttle_store(self) -> DatabaseThrottle:
        return DatabaseThrottle(self)


def _token_row(row: Any) -> TokenRow:
    return TokenRow(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        float(row[3]),
        None if row[4] is None else float(row[4]),
        None if row[5] is None else float(row[5]),
    )


class DatabaseThrottle:
    """`repairtrack.services.throttle.ThrottleStore` over `rt_throttle`: `locked` holds one write transaction
    (per thread) in which `read` and `write` run."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self._local = threading.local()

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self.store._transaction() as cursor:
            self.store._throttle_lock(cursor)
            self._local.cursor = cursor
            try:
                yield
            finally:
                self._local.cursor = None

    def _cursor(self) -> Cursor:
        cursor: Cursor | None = getattr(self._local, "cursor", None)
        if cursor is None:
            raise RuntimeError("the throttle's record is read and written inside locked()")
        return cursor

    def read(self, key: str) -> KeyRecord:
        cursor = self._cursor()
        cursor.execute(
            self.store._q(
                "SELECT failures, last_failure, busy_until, busy_ticket FROM rt_throttle WHERE key = ?"
            ),
            [key],
        )
        row = cursor.fetchone()
        if row is None:
            return KeyRecord()
        return KeyRecord(int(row[0]), float(row[1]), float(row[2]), int(row[3]))

    def write(self, key: str, record: KeyRecord) -> None:
        cursor = self._cursor()
        cursor.execute(self.store._q("DELETE FROM rt_throttle WHERE key = ?"), [key])
        if record != KeyRecord():
            cursor.execute(
                self.store._q("INSERT INTO rt_throttle VALUES (?, ?, ?, ?, ?)"),
                [key, record.failures, record.last_failure, record.busy_until, record.busy_ticket],
            )

    def clear(self) -> None:
        self.store._run("DELETE FROM rt_throttle")


class SqliteSessionStore(SessionStore):
    """The tables in the SQLite file of the events. Each call opens a short connection; every write
    transaction starts with `BEGIN IMMEDIATE`, so it holds SQLite's one write lock from its start."""

    def __init__(self, path: Path, *, timeout: float = 120.0) -> None:
        self.path = path
        self.timeout = timeout

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection.cursor()
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()


THROTTLE_LOCK = 0x7274_7468  # the advisory lock key of the throttle's record ("rtth")


class PostgresSessionStore(SessionStore):
    """The tables in the PostgreSQL database of the events, over a small psycopg pool."""

    marker = "%s"

    def __init__(self, conninfo: str, *, timeout: float = 120.0) -> None:
        from psycopg_pool import ConnectionPool

        self.timeout = timeout
        self.pool = ConnectionPool(conninfo, min_size=0, max_size=4, timeout=timeout, open=True)

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self.pool.connection() as connection, connection.transaction(), connection.cursor() as cursor:
            yield cursor

    def _throttle_lock(self, cursor: Cursor) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [THROTTLE_LOCK])

    def close(self) -> None:
        self.pool.close()


def postgres_conninfo(env: dict[str, str]) -> str:
    """A psycopg connection string from the event store's settings (`Settings.event_store_env`)."""
    from psycopg.conninfo import make_conninfo

    options = {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"],
        "connect_timeout": env.get("POSTGRES_CONNECT_TIMEOUT", "10"),
    }
    conninfo = make_conninfo("", **{k: v for k, v in options.items() if v})
    if env.get("POSTGRES_SCHEMA"):
        conninfo = make_conninfo(conninfo, options=f"-c search_path={env['POSTGRES_SCHEMA']}")
    return conninfo
