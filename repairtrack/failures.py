"""Turning failures of the machinery (a busy store, a full disk, an unreachable server) into one clear
sentence for a person, without a traceback and without secrets."""

from __future__ import annotations

import errno

from domain.errors import StoreContention
from repairtrack.config import Settings


def explain(error: BaseException, settings: Settings) -> str:
    text = f"{error}".lower()
    store = settings.describe_store()
    if isinstance(error, StoreContention):
        return f"{error}; nothing was stored. Try again in a moment."
    if "database is locked" in text or "lock timeout" in text or "locknotavailable" in text:
        return (
            f"the event store ({store}) stayed busy for more than {settings.lock_timeout} s: another "
            "repairtrack process (an import, the demo loader or the dashboard) is writing to it. "
            "Nothing was stored; try again when it has finished "
            "(or raise REPAIRTRACK_LOCK_TIMEOUT)."
        )
    if "disk is full" in text or "no space left" in text or getattr(error, "errno", None) == errno.ENOSPC:
        return f"the disk holding {store} is full; nothing was stored. Free some space and try again."
    if (
        "readonly" in text
        or "read-only" in text
        or "unable to open database" in text
        or isinstance(error, PermissionError)
    ):
        return (
            f"cannot write to {store} (the folder is read-only or not ours); nothing was stored. "
            f"Check the permissions of {settings.data_dir}."
        )
    if "connection" in text and settings.uses_postgres:
        return f"cannot reach the {store}: {error.__class__.__name__}. Is the server running?"
    return f"{error.__class__.__name__}: {error}"
