"""Files of our own, private to the person who runs repairtrack, whatever the umask.

Every file repairtrack writes (the event store, backups, exports, the passphrase hash) is created here:
folders 0700, files 0600, created with O_CREAT|O_EXCL|O_NOFOLLOW so that neither an existing file nor a
symlink planted at the path is ever written through. A file that replaces another is first written in
full to a private temporary file in the same folder and then renamed into place in one step, so a reader
sees the old file or the new one, never half of one; a symlink at the target is replaced, never followed.

Files the databases create themselves (SQLite's -wal and -shm, DuckDB's file and its .wal) are covered
by the process umask `private_umask()` sets at bootstrap, and by `tighten()` for stores made before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
UMASK = 0o077
_NO_HARD_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def private_umask() -> None:
    """Make every file this process creates from now on private to its user (process-wide, on purpose:
    DuckDB creates its .wal when it first writes, long after it was opened, and a umask set only around
    the opening would race with the dashboard's other threads)."""
    os.umask(UMASK)


def private_dir(path: Path, *, existing_too: bool = True) -> Path:
    """Create `path` (and missing parents) as folders only their owner may enter. An existing `path`
    is tightened to 0700 too unless `existing_too` is false (a folder of the user's, like the one a
    backup goes into). Returns `path`."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            folder.mkdir(mode=DIR_MODE)
        folder.chmod(DIR_MODE)  # mkdir's mode passes through the umask
    if existing_too and stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def create_private(path: Path) -> int:
    """A new file at `path`, mode 0600, open for writing; refuses an existing file or symlink there
    (FileExistsError). Returns the descriptor; the caller closes it."""
    fd = os.open(path, _CREATE, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # exactly 0600 whatever the umask took away
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a new private file at `path` (FileExistsError when anything is there)."""
    fd = create_private(path)
    try:
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


@contextlib.contextmanager
def private_temporary(folder: Path, name: str) -> Iterator[Path]:
    """An empty private file with an unguessable name in `folder`, for the caller to fill (e.g. with
    SQLite) and then `place`. Removed on the way out unless it was placed, with any SQLite companion
    files (-journal, -wal, -shm) beside it."""
    path = folder / f".{name}.{secrets.token_hex(8)}.tmp"
    os.close(create_private(path))
    try:
        yield path
    finally:
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def place(temporary: Path, target: Path, *, replace: bool) -> None:
    """Move a finished temporary file to `target` in one step. With `replace`, whatever is at `target`
    (a file, or a symlink, which is replaced and never followed) gives way; without it an existing
    `target` is refused with FileExistsError and nothing changes."""
    if replace:
        temporary.replace(target)
        return
    try:
        target.hardlink_to(temporary)  # atomic and never over an existing name, a dangling link included
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links: check, then rename.
        if target.is_symlink() or target.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        temporary.replace(target)
        return
    temporary.unlink()


def atomic_private_write(target: Path, data: bytes, *, replace: bool = True) -> None:
    """Write `data` as a private file at `target`: in full to a temporary file in the same folder, then
    renamed into place (see `place` for `replace`)."""
    with private_temporary(target.parent, target.name) as temporary:
        fd = os.open(temporary, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        place(temporary, target, replace=replace)


def tighten(folder: Path) -> None:
    """Make an existing data folder and the files directly in it private (stores written by older
    versions, or under a looser umask). Symlinks are left alone, never followed."""
    if not folder.is_dir():
        return
    private_dir(folder)
    for entry in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):  # removed meanwhile
            mode = entry.lstat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & ~FILE_MODE:
                entry.chmod(FILE_MODE)
            elif stat.S_ISDIR(mode) and stat.S_IMODE(mode) != DIR_MODE:
                entry.chmod(DIR_MODE)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
