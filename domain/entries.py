"""The interchange format of SPEC section 3: one mapping in, one validated `Entry` out.

This is where the *shape* of an entry is checked (fields, types, patterns, ranges, free text); the rules
that depend on what was recorded before live in `domain.couple`. The import, the dashboard forms and the
command line all go through `parse_entry`, so each shape rule is written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from domain.errors import EntryRefused, Problem
from domain.limits import EARLIEST, LATEST, MAX_QUOTED, quote
from domain.vocabulary import (
    BID_RESPONSES,
    CSI4_RANGES,
    HANDLE_RE,
    HORSEMEN,
    ID_RE,
    INTENSITY_RANGE,
    MAX_TEXT,
    MAX_TOPIC,
    REPAIR_KINDS,
    SCALE_RANGE,
)

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # Unicode Cc, newline excepted
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One logged fact, validated and normalised (times in UTC, free text trimmed).

    `data` holds the type's own fields under their SPEC names; an absent optional field is `None`
    (`private` is a plain bool, true only when there is a note to hide).
    """

    type: str
    couple: str
    id: str | None
    occurred_at: datetime
    logged_by: str | None
    data: dict[str, Any]

    @property
    def author(self) -> str | None:
        """Who a private note belongs to: `logged_by`, else `by` (SPEC section 3)."""
        return self.logged_by or self.data.get("by")


class _Bad(Exception):
    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail


Validator = Callable[[Any], Any]


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("field.not_string", f"expected a string, got {_kind(value)}")
    return value


def handle(value: Any) -> str:
    text = _string(value)
    if not HANDLE_RE.fullmatch(text):
        raise _Bad("handle.pattern", f"{quote(text)} is not a valid handle")
    return text


def entry_id(value: Any) -> str:
    text = _string(value)
    if not ID_RE.fullmatch(text):
        raise _Bad("id.pattern", f"{quote(text)} is not a valid id")
    return text


def parse_instant(value: Any) -> datetime:
    """An ISO-8601 time *with* an offset, as an aware UTC datetime."""
    text = _string(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad("time.invalid", f"{quote(text)} is not an ISO-8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _Bad("time.no_offset", f"{quote(text)} has no offset (add +01:00 or Z)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 lies before the first moment in UTC
        raise _Bad("time.invalid", f"{quote(text)} is out of range") from None


def occurred_at(value: Any) -> datetime:
    """When it happened: on or after 2000-01-01T00:00:00Z (SPEC section 3, Limits)."""
    moment = parse_instant(value)
    if moment < EARLIEST:
        raise _Bad("time.out_of_range", f"{quote(value)} lies before {EARLIEST:%Y-%m-%dT%H:%M:%SZ}")
    return moment


def due_at(value: Any) -> datetime:
    """When a promise falls due: before 2100-01-01T00:00:00Z (SPEC section 3, Limits)."""
    moment = parse_instant(value)
    if moment >= LATEST:
        raise _Bad("time.out_of_range", f"{quote(value)} lies on or after {LATEST:%Y-%m-%dT%H:%M:%SZ}")
    return moment


def _text(value: Any) -> str:
    text = _string(value)
    if _CONTROL.search(text):
        raise _Bad("text.control_char", "holds a control character (only newline is allowed)")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise _Bad("text.too_long", f"{len(text)} characters, at most {MAX_TEXT}")
    return text


def optional_text(value: Any) -> str | None:
    """A note, a reason: empty after trimming counts as absent."""
    return _text(value) or None


def required_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _Bad("text.empty", "may not be empty")
    return text


def topic(value: Any) -> str:
    text = _SPACES.sub(" ", _text(value)).lower()
    if not 1 <= len(text) <= MAX_TOPIC:
        raise _Bad("topic.length", f"{len(text)} characters, a topic is 1-{MAX_TOPIC}")
    return text


def integer(low: int, high: int) -> Validator:
    def check(value: Any) -> int:
        if type(value) is not int:
            raise _Bad("field.not_integer", f"expected an integer, got {_kind(value)}")
        if not low <= value <= high:
            raise _Bad("field.out_of_range", f"{quote(value)} is not within {low}-{high}")
        return value

    return check


def choice(options: tuple[str, ...]) -> Validator:
    def check(value: Any) -> str:
        text = _string(value)
        if text not in options:
            raise _Bad("field.not_a_choice", f"{quote(text)} is not one of {', '.join(options)}")
        return text

    return check


def horsemen(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _Bad("field.not_list", f"expected a list, got {_kind(value)}")
    named = [choice(HORSEMEN)(item) for item in value]
    if len(set(named)) != len(named):
        raise _Bad("horsemen.duplicate", "a horseman is named twice")
    return named


def csi4(value: Any) -> list[int]:
    if not isinstance(value, list):
        raise _Bad("field.not_list", f"expected a list, got {_kind(value)}")
    if len(value) != len(CSI4_RANGES):
        raise _Bad("csi4.shape", f"{len(value)} answers, the CSI-4 has 4")
    return [integer(low, high)(item) for item, (low, high) in zip(value, CSI4_RANGES, strict=True)]


def timezone_name(value: Any) -> str:
    text = _string(value)
    try:
        ZoneInfo(text)
    except (KeyError, ValueError, OSError):  # not found, malformed key, or a folder of tzdata
        raise _Bad("timezone.unknown", f"{quote(text)} is not an IANA time zone") from None
    return text


def partners(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) != 2:
        raise _Bad("partners.shape", "expected a list of exactly two partners")
    result = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"handle", "name"}:
            raise _Bad("partners.shape", "each partner is {handle, name} and nothing else")
        try:
            result.append({"handle": handle(item["handle"]), "name": required_text(item["name"])})
        except _Bad as bad:
            raise _Bad(bad.code, f"partner {len(result) + 1}: {bad.detail}") from None
    if result[0]["handle"] == result[1]["handle"]:
        raise _Bad("partners.same_handle", f"both partners are {quote(result[0]['handle'])}")
    return result


def private(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("field.not_boolean", f"expected true or false, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


REQUIRED, OPTIONAL = True, False
_NOTE: Final = {"note": (OPTIONAL, optional_text), "private": (OPTIONAL, private)}
_BY: Final = {"by": (REQUIRED, handle)}

# The fields of each entry type besides the common ones (SPEC section 3), with their validators.
FIELDS: Final[dict[str, dict[str, tuple[bool, Validator]]]] = {
    "couple_registered": {"partners": (REQUIRED, partners), "timezone": (OPTIONAL, timezone_name)},
    "conflict_started": {
        **_BY,
        "topic": (REQUIRED, topic),
        "horsemen": (REQUIRED, horsemen),
        "intensity": (REQUIRED, integer(*INTENSITY_RANGE)),
        **_NOTE,
    },
    "conflict_resolved": {"conflict": (REQUIRED, entry_id), **_NOTE},
    "repair_offered": {
        **_BY,
        "kind": (REQUIRED, choice(REPAIR_KINDS)),
        "conflict": (OPTIONAL, entry_id),
        **_NOTE,
    },
    "repair_accepted": {"attempt": (REQUIRED, entry_id)},
    "repair_declined": {"attempt": (REQUIRED, entry_id)},
    "promise_made": {
        **_BY,
        "description": (REQUIRED, required_text),
        "due_at": (REQUIRED, due_at),
    },
    "promise_kept": {"promise": (REQUIRED, entry_id), **_NOTE},
    "promise_broken": {"promise": (REQUIRED, entry_id), **_NOTE},
    "promise_renegotiated": {"promise": (REQUIRED, entry_id), "due_at": (REQUIRED, due_at)},
    "promise_released": {"promise": (REQUIRED, entry_id)},
    "check_in": {
        **_BY,
        "closeness": (REQUIRED, integer(*SCALE_RANGE)),
        "trust": (REQUIRED, integer(*SCALE_RANGE)),
        "csi4": (OPTIONAL, csi4),
        **_NOTE,
    },
    "bid_made": {**_BY, "response": (REQUIRED, choice(BID_RESPONSES)), **_NOTE},
    "appreciation_expressed": {**_BY, **_NOTE},
    "entry_retracted": {"entry": (REQUIRED, entry_id), "reason": (OPTIONAL, optional_text)},
}
COMMON_FIELDS: Final = ("type", "couple", "id", "occurred_at", "logged_by")
_COMMON: Final[dict[str, tuple[bool, Validator]]] = {
    "couple": (REQUIRED, handle),
    "id": (OPTIONAL, entry_id),
    "occurred_at": (REQUIRED, occurred_at),
    "logged_by": (OPTIONAL, handle),
}


def _check(
    raw: Mapping[str, Any], spec: Mapping[str, tuple[bool, Validator]], problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, (required, validate) in spec.items():
        value = raw.get(name)
        if value is None:
            if required:
                problems.append(Problem(name, "field.missing", f"{name} is required"))
            values[name] = None
            continue
        try:
            values[name] = validate(value)
        except _Bad as bad:
            problems.append(Problem(name, bad.code, bad.detail))
            values[name] = None
    return values


def _field_label(name: str) -> str:
    """An unknown field as a refusal names it: as given, or quoted when it is empty or holds a line
    break or another unprintable character (one problem stays one line)."""
    return name if name and name.isprintable() and len(name) <= MAX_QUOTED else quote(name)


def parse_entry(raw: Any) -> Entry:
    """Validate the shape of one entry of the interchange format; raise `EntryRefused` listing every
    problem found. Nothing here looks at other entries."""
    if not isinstance(raw, Mapping):
        raise EntryRefused.single("entry", "entry.not_object", f"expected an object, got {_kind(raw)}")
    kind = raw.get("type")
    if kind is None:
        raise EntryRefused.single("type", "field.missing", "type is required")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise EntryRefused.single("type", "type.unknown", f"{quote(kind)} is not an entry type")
    spec = FIELDS[kind]
    problems = [
        Problem(_field_label(str(name)), "field.unknown", f"{quote(name)} is not a field of {kind}")
        for name in raw
        if name not in spec and name not in COMMON_FIELDS
    ]
    common = _check(raw, _COMMON, problems)
    data = _check(raw, spec, problems)
    if kind == "couple_registered" and data.get("timezone") is None:
        data["timezone"] = "UTC"
    logged_by = common["logged_by"] or data.get("by")
    if "note" in data:
        hide = bool(data["note"]) and bool(data["private"])
        if hide and logged_by is None:
            problems.append(Problem("note", "note.private_without_author", "a private note needs logged_by"))
        data["private"] = hide
    if problems:
        given_id = raw.get("id")
        named = isinstance(given_id, str) and ID_RE.fullmatch(given_id) is not None
        raise EntryRefused(problems, entry_id=given_id if named else None)
    return Entry(
        type=kind,
        couple=common["couple"],
        id=common["id"],
        occurred_at=common["occurred_at"],
        logged_by=logged_by,
        data=data,
    )
