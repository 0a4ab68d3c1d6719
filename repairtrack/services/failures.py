"""Turning failures of the machinery (a busy store, a full disk, an unreachable server) into one clear
sentence for a person, without a traceback, an exception's name or a secret.

Decided by what the failure *is*, never by its wording: the SQLite result code (`sqlite_errorcode`), the
PostgreSQL SQLSTATE (`sqlstate`), the operating system's errno, or the exception's type, looked up along
its chain of causes (the event-sourcing library wraps the driver's error in its own).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

from eventsourcing.persistence import ConnectionUnavailableError

from domain.errors import StoreContention
from repairtrack.config import Settings

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN = 3, 5, 6, 8, 13, 14
# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html)
PG_LOCK_NOT_AVAILABLE, PG_DISK_FULL, PG_READ_ONLY = "55P03", "53100", "25006"
PG_CONNECTION_CLASS = "08"

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error, then what caused it, and so on (each once)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None) if isinstance(error, sqlite3.Error) else None
    return code & 0xFF if isinstance(code, int) else None  # the primary code of an extended one


def _sqlstate(error: BaseException) -> str | None:
    if type(error).__module__.split(".")[0] != "psycopg":
        return None
    state = getattr(error, "sqlstate", None)
    return state if isinstance(state, str) else ""  # "" : a psycopg error without a state (no connection)


def _errno(error: BaseException) -> int | None:
    return error.errno if isinstance(error, OSError) else None


def kind(error: BaseException) -> str | None:
    """'contention', 'busy', 'full', 'read_only', 'unreachable', or None for anything else."""
    chain = list(causes(error))
    if any(isinstance(e, StoreContention) for e in chain):
        return "contention"
    sqlite_codes = {_sqlite_code(e) for e in chain} - {None}
    states = {s for s in map(_sqlstate, chain) if s is not None}
    errnos = {_errno(e) for e in chain} - {None}
    if sqlite_codes & {SQLITE_BUSY, SQLITE_LOCKED} or PG_LOCK_NOT_AVAILABLE in states:
        return "busy"
    if SQLITE_FULL in sqlite_codes or PG_DISK_FULL in states or errnos & FULL_ERRNOS:
        return "full"
    if (
        sqlite_codes & {SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM}
        or PG_READ_ONLY in states
        or errnos & READ_ONLY_ERRNOS
    ):
        return "read_only"
    if (
        any(isinstance(e, ConnectionUnavailableError | ConnectionError) for e in chain)
        or "" in states
        or any(s.startswith(PG_CONNECTION_CLASS) for s in states)
    ):
        return "unreachable"
    return None


def explain(error: BaseException, settings: Settings) -> str:
    store = settings.describe_store()
    found = kind(error)
    if found == "contention":
        return f"{error}; nothing was stored. Try again in a moment."
    if found == "busy":
        return (
            f"the event store ({store}) stayed busy for more than {settings.lock_timeout} s: another "
            "repairtrack process (an import, the demo loader or the dashboard) is writing to it. "
            "Nothing was stored; try again when it has finished "
            "(or raise REPAIRTRACK_LOCK_TIMEOUT)."
        )
    if found == "full":
        return f"the disk holding {store} is full; nothing was stored. Free some space and try again."
    if found == "read_only":
        return (
            f"cannot write to {store} (the folder is read-only or not ours); nothing was stored. "
            f"Check the permissions of {settings.data_dir}."
        )
    if found == "unreachable" and settings.uses_postgres:
        return f"cannot reach the {store}. Is the server running, and is REPAIRTRACK_DATABASE_URL right?"
    return (
        f"something went wrong that repairtrack does not know how to explain ({error}). "
        "Run it again with REPAIRTRACK_DEBUG=1 to see the details."
    )
