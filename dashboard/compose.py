"""From what was typed into a form to an entry of the interchange format (SPEC section 3), and back.

Pure functions, no Streamlit (tested on their own). The domain application checks every rule; this
module only turns local wall-clock times into instants (with a word about the hour a DST change skips or
repeats), leaves out what was left empty, and words the domain's refusals for people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from domain.errors import Problem
from domain.rules import RULES
from domain.vocabulary import CSI4_RANGES, ENTRY_TYPES

# ------------------------------------------------------------------------------------------------
# Local times
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time in the couple's zone, resolved to an instant, or why it cannot be."""

    instant: datetime | None  # aware, in the couple's zone
    problem: str | None = None
    ambiguous: bool = False  # the hour happened twice; `choices` says which instants it can be

    @property
    def ok(self) -> bool:
        return self.instant is not None


def offset_text(moment: datetime) -> str:
    """ "UTC+02:00" for an aware time."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def fold_choices(naive: datetime, zone: str) -> list[tuple[int, str]]:
    """For a wall-clock time that happened twice: (fold, label) for the earlier and the later one."""
    tz = ZoneInfo(zone)
    return [
        (fold, f"the {'first' if fold == 0 else 'second'} {naive:%H:%M} ({offset_text(moment)})")
        for fold in (0, 1)
        for moment in [naive.replace(tzinfo=tz, fold=fold)]
    ]


def resolve_local(naive: datetime, zone: str, fold: int | None = None) -> LocalTime:
    """The instant a wall-clock time in `zone` names. A time the clocks skipped (spring forward) is
    refused with a message; a time that happened twice (fall back) needs `fold` (0: the first, 1: the
    second) and is reported as ambiguous without it."""
    tz = ZoneInfo(zone)
    naive = naive.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    there_and_back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if there_and_back != naive:
        before = (first.astimezone(UTC) - timedelta(hours=6)).astimezone(tz)
        after = (second.astimezone(UTC) + timedelta(hours=6)).astimezone(tz)
        return LocalTime(
            None,
            f"{naive:%H:%M} on {naive:%d %b %Y} did not happen in {zone}: the clocks jumped forward that "
            f"night (from {offset_text(before)} to {offset_text(after)}). Please pick a time outside the "
            "skipped hour.",
        )
    if first.utcoffset() != second.utcoffset():
        if fold not in (0, 1):
            return LocalTime(
                None,
                f"{naive:%H:%M} on {naive:%d %b %Y} happened twice in {zone}: the clocks went back that "
                f"night ({offset_text(first)}, then {offset_text(second)}). Choose which one you mean "
                "below and save again.",
                ambiguous=True,
            )
        return LocalTime(second if fold == 1 else first)
    return LocalTime(first)


def same_minute(typed: datetime, exact: datetime | None, zone: str) -> bool:
    """Whether a typed wall-clock time is still the minute of `exact` (a prefilled instant): then the
    exact instant is kept, seconds included, rather than the minute the form can show."""
    if exact is None:
        return False
    local, _ = to_local(exact, zone)
    return typed.replace(second=0, microsecond=0) == local.replace(second=0, microsecond=0)


def to_local(instant: datetime, zone: str) -> tuple[datetime, int]:
    """An instant as the couple's wall-clock time (naive) and its fold, to fill a form back in."""
    local = instant.astimezone(ZoneInfo(zone))
    return local.replace(tzinfo=None), local.fold


def iso(moment: datetime) -> str:
    """ISO-8601 with the offset the time carries (the couple's), as the interchange format wants."""
    return moment.isoformat()


# ------------------------------------------------------------------------------------------------
# Entries
# ------------------------------------------------------------------------------------------------
def entry(
    entry_type: str, couple: str, occurred_at: datetime, logged_by: str | None, /, **fields: Any
) -> dict[str, Any]:
    """An entry of the interchange format. Fields left empty (None, "", an unset toggle) are left out,
    so the domain sees them as absent; a private toggle without a note means nothing and is dropped."""
    values: dict[str, Any] = {
        "type": entry_type,
        "couple": couple,
        "occurred_at": iso(occurred_at),
    }
    if logged_by is not None:
        values["logged_by"] = logged_by
    for name, value in fields.items():
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, datetime):
            value = iso(value)
        values[name] = value
    if "private" in values and "note" not in values:
        del values["private"]
    return values


def csi4_answers(answers: Sequence[int | None]) -> tuple[list[int] | None, str | None]:
    """The four CSI-4 answers: all four or none. Returns (answers or None, a problem or None)."""
    given = [a for a in answers if a is not None]
    if not given:
        return None, None
    if len(given) != len(CSI4_RANGES):
        return None, "Please answer all four questions, or none of them."
    return [int(a) for a in given], None


# ------------------------------------------------------------------------------------------------
# Refusals, in words for people
# ------------------------------------------------------------------------------------------------
FRIENDLY: Final = {
    "field.missing": "Please fill this in.",
    "text.empty": "Please fill this in.",
    "occurred_at.in_future": "This lies in the future. Log what has already happened "
    "(up to 5 minutes ahead is fine).",
    "promise.due_not_after_made": "The due time has to come after the moment the promise was made.",
    "couple.taken": "A couple with this handle is already registered here; please choose another.",
    "partners.same_handle": "The two partners need different handles.",
    "handle.pattern": "Use 1-40 lowercase letters, digits or '-', starting with a letter or digit.",
    "attempt.already_answered": "This repair attempt has already been answered.",
    "promise.already_settled": "This promise is already kept or broken.",
    "conflict.already_resolved": "This conflict is already resolved.",
    "retraction.already_retracted": "This entry is already retracted.",
}


def problem_text(problem: Problem) -> str:
    """A domain refusal as one sentence: our friendlier words where we have them, else the rule and the
    detail the domain gave."""
    if problem.code in FRIENDLY:
        friendly = FRIENDLY[problem.code]
        if problem.code == "handle.pattern":
            return f"{friendly} ({problem.detail})"
        return friendly
    rule = RULES.get(problem.code, problem.code)
    return f"{rule[:1].upper()}{rule[1:]} ({problem.detail})."


# ------------------------------------------------------------------------------------------------
# Back from an entry to its form ("correct": retract, then reopen the form filled in)
# ------------------------------------------------------------------------------------------------
# Every entry type has a form but the registration (the Who page) and the retraction (the Timeline).
FORM_TYPES: Final = tuple(t for t in ENTRY_TYPES if t not in ("couple_registered", "entry_retracted"))


def form_values(row: Mapping[str, Any], zone: str) -> dict[str, Any]:
    """The form fields of a timeline row, to fill its form back in. Keys are the form's field names:
    `when` (naive wall-clock time) and `when_fold`, `due` and `due_fold`, the SPEC fields, and `csi4_1`
    ... `csi4_4`, `horseman_<name>`."""
    values: dict[str, Any] = {}
    values["when"], values["when_fold"] = to_local(row["occurred_at"], zone)
    values["when_exact"] = row["occurred_at"]  # the form shows minutes; kept unless the time is changed
    for name in ("by", "topic", "intensity", "kind", "response", "closeness", "trust", "description"):
        if row.get(name) is not None:
            values[name] = row[name]
    kind = row["type"]
    ref = row.get("ref")
    if ref is not None:
        field = {
            "conflict_resolved": "conflict",
            "repair_offered": "conflict",
            "repair_accepted": "attempt",
            "repair_declined": "attempt",
        }.get(kind, "promise")
        values[field] = ref
    if row.get("due_at") is not None:
        values["due"], values["due_fold"] = to_local(row["due_at"], zone)
        values["due_exact"] = row["due_at"]
    if kind == "conflict_started":
        for name in row.get("horsemen") or []:
            values[f"horseman_{name}"] = True
    if row.get("csi4"):
        for number, answer in enumerate(row["csi4"], start=1):
            values[f"csi4_{number}"] = answer
    if row.get("note") is not None:
        values["note"] = row["note"]
        values["private"] = bool(row.get("private"))
    return values


def handle_from_name(name: str, limit: int = 40) -> str:
    """A handle suggested from a display name: "Zoë Ann" -> "zoe-ann" (SPEC section 2 pattern)."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")


def registration(
    names: Sequence[str], handles: Sequence[str], couple: str, timezone: str, at: datetime
) -> dict[str, Any]:
    """A `couple_registered` entry; handles left empty are made from the names, the couple's handle
    from both partners' handles."""
    partner_handles = [
        (given or "").strip() or handle_from_name(name or "")
        for given, name in zip(handles, names, strict=True)
    ]
    couple_handle = couple.strip() or handle_from_name("-".join(partner_handles))
    return {
        "type": "couple_registered",
        "couple": couple_handle,
        "occurred_at": iso(at),
        "partners": [
            {"handle": handle, "name": (name or "").strip()}
            for handle, name in zip(partner_handles, names, strict=True)
        ],
        "timezone": timezone,
    }
