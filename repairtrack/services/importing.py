"""Reading JSON Lines into mappings for `RepairTrack.record_batch`, within the limits of SPEC section 3.

A line is read with a bounded `readline`, so a stream that never ends a line (`/dev/zero`) is refused at
the line limit instead of being read into memory. A line that is not JSON text (a byte order mark, NUL
bytes, bytes that are not UTF-8, or broken JSON) or an object that repeats a key becomes a `Problem`
in its place, so the batch reports it with the rest, by line, and stores nothing.

`decode_line` is the same check for one JSON document (the HTTP API's body); `read_stdin` is `import -`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import IO, Any, Final, TextIO

import orjson

from domain.errors import BatchRefused, LineProblem, Problem
from domain.limits import MAX_LINE_BYTES, MAX_QUOTED, quote

# Every member of an object is a key, its closing quote, white space and a colon. So a line holds at
# least as many closing quotes met by a colon (white space left out) as members, and when the parsed
# value holds as many members as that, no key was repeated (orjson keeps the last of a repeated key).
# A string holding `\":` only makes the count larger: then the slower exact check decides. When the
# top object's own keys already account for every count, nothing nested holds a member at all.
_WHITE_SPACE: Final = b" \t\r\n"
_BYTE_ORDER_MARKS: Final = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # UTF-8, UTF-16 (and UTF-32 LE)


class InputRefused(BatchRefused):
    """The input as a whole cannot be read (standard input closed, or empty): nothing was stored.

    A `BatchRefused`, so the command line reports it like any refused import (exit code 2); its one
    problem has line 0 (the input itself, not one of its lines)."""

    def __init__(self, problem: Problem) -> None:
        Exception.__init__(self, problem.describe())
        self.problems = [LineProblem(0, problem)]
        self.total = 1

    @property
    def problem(self) -> Problem:
        return self.problems[0].problem


def read_jsonl(source: IO[bytes] | Iterable[bytes]) -> tuple[list[Any], list[int]]:
    """Parse every non-blank line of a binary stream (read a line at a time, each at most
    MAX_LINE_BYTES) or of an iterable of lines. Returns the items (a `Problem` in place of a line that
    could not be read) and their 1-based line numbers. Reading stops at a line over the limit."""
    items, numbers, _ = _read(source)
    return items, numbers


def read_stdin(stdin: TextIO | None) -> tuple[list[Any], list[int]]:
    """`repairtrack import -`: the lines of standard input (pass `sys.stdin`, which is None when the
    process was started with it closed). Raises `InputRefused` when it is closed or holds no byte."""
    closed = Problem("stdin", "input.closed", "standard input is closed; pipe a file in, or name the file")
    if stdin is None or stdin.closed:
        raise InputRefused(closed)
    try:
        items, numbers, read = _read(stdin.buffer)
    except OSError:  # a descriptor closed under us (EBADF)
        raise InputRefused(closed) from None
    if not read:
        raise InputRefused(Problem("stdin", "input.empty", "standard input held nothing to import"))
    return items, numbers


def decode_line(raw: bytes) -> Any:
    """One line (or one JSON document) as its value, or a `Problem` saying why it cannot be an entry:
    longer than 1 MiB, not UTF-8 JSON text, or an object that repeats a key."""
    if len(raw) > MAX_LINE_BYTES and _content_length(raw) > MAX_LINE_BYTES:
        return _too_long()
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        return _unreadable(raw, error.msg)
    return _without_repeats(value, raw, raw.translate(None, _WHITE_SPACE).count(b'":'))


# ----------------------------------------------------------------------------------------------
def _read(source: IO[bytes] | Iterable[bytes]) -> tuple[list[Any], list[int], int]:
    """(items, their line numbers, how many lines were read, blank ones included)."""
    items: list[Any] = []
    numbers: list[int] = []
    number = 0
    loads, decode_error, white_space, limit = (
        orjson.loads,
        orjson.JSONDecodeError,
        _WHITE_SPACE,
        MAX_LINE_BYTES,
    )
    for number, raw in enumerate(_lines(source), 1):
        if len(raw) > limit and _content_length(raw) > limit:
            numbers.append(number)
            items.append(_too_long())
            break  # blank or not, the rest may never end (/dev/zero): nothing more is read
        if not raw.strip():
            continue
        numbers.append(number)
        # decode_line, written out for the many lines of a big file
        try:
            value = loads(raw)
        except decode_error as error:
            items.append(_unreadable(raw, error.msg))
            continue
        ends = raw.translate(None, white_space).count(b'":')
        if type(value) is dict and len(value) == ends:
            items.append(value)  # the usual line: its own keys account for every member end
        else:
            items.append(_without_repeats(value, raw, ends))
    return items, numbers, number


def _lines(source: IO[bytes] | Iterable[bytes]) -> Iterator[bytes]:
    readline: Callable[[int], bytes] | None = getattr(source, "readline", None)
    if readline is None:
        return iter(source)
    # At most the limit, a carriage return and a newline: a longer read is a line over the limit.
    return iter(partial(readline, MAX_LINE_BYTES + 2), b"")


def _content_length(raw: bytes) -> int:
    """The length of a line without its line end (a newline, or a carriage return and a newline)."""
    if raw.endswith(b"\r\n"):
        return len(raw) - 2
    return len(raw) - 1 if raw.endswith(b"\n") else len(raw)


def _too_long() -> Problem:
    return Problem(
        "entry",
        "entry.line_too_long",
        f"the line is longer than {MAX_LINE_BYTES:,} bytes (1 MiB); nothing after it was read",
    )


def _unreadable(raw: bytes, reason: str) -> Problem:
    """Why orjson refused a line, in the words of our rules."""
    if raw.lstrip(b" \t").startswith(_BYTE_ORDER_MARKS):
        return Problem(
            "entry", "entry.byte_order_mark", "the line starts with a byte order mark; save the file as UTF-8"
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        detail = f"byte {nul + 1} of the line is a NUL byte; is it a binary or UTF-16 file?"
        return Problem("entry", "entry.nul_byte", detail)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem("entry", "entry.not_utf8", f"byte {error.start + 1} of the line is not UTF-8 text")
    return Problem("entry", "entry.not_json", f"not valid JSON ({reason})")


def _without_repeats(value: Any, raw: bytes, ends: int) -> Any:
    """`value`, or a `Problem` when an object of the line repeats a key. `ends` is how often a key's
    closing quote meets its colon in the line, white space left out: at least once for every member."""
    if _members(value) == ends:
        return value
    key = _repeated_key(raw)
    if key is None:
        return value
    detail = f"the key {quote(key)} appears twice in one object"
    return Problem(_label(key), "entry.duplicate_key", detail)


def _members(value: Any) -> int:
    """How many members all the objects in a parsed JSON value hold together."""
    count = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if type(item) is dict:
            count += len(item)
            pending.extend(v for v in item.values() if type(v) is dict or type(v) is list)
        elif type(item) is list:
            pending.extend(v for v in item if type(v) is dict or type(v) is list)
    return count


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> None:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _Repeated(key)
        seen.add(key)


def _repeated_key(raw: bytes) -> str | None:
    """The first key an object of the line repeats, or None. Only a check: the value is orjson's."""
    try:
        json.loads(raw, object_pairs_hook=_no_repeats)
    except _Repeated as repeated:
        return repeated.key
    except (ValueError, RecursionError):  # a number too long, nesting too deep: refused by its shape
        return None
    return None


def _label(key: str) -> str:
    """A field name as a problem names it: as given, or quoted when it is long or unprintable."""
    return key if key and key.isprintable() and len(key) <= MAX_QUOTED else quote(key)
