"""Entries as lines a person reads (the timeline and what is waiting on someone): one plain line per
entry, readable names for the entries a row refers to (never an id), what can still be recorded about an
open promise, and how an entry is named in a list to choose from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from projections.escaping import escape_markdown
from projections.formatting import local_text
from projections.wording import RESPONSE_LABELS, TYPE_LABELS, offered_words, repair_kind_word

# Entry types that can be retracted (SPEC section 3) and re-entered through a form ("correct").
NOT_RETRACTABLE: Final = frozenset({"couple_registered", "entry_retracted"})


@dataclass(frozen=True)
class EntryLine:
    entry_id: str
    type: str
    title: str
    when: str  # in the couple's time zone
    who: str
    details: str
    note: str | None  # None when absent or hidden
    private: bool  # a private note that is hidden from this viewer ("private")
    retracted: bool
    retractable: bool


def _named(handle: str | None, names: Mapping[str, str]) -> str:
    if handle is None:
        return ""
    return names.get(handle, handle)


# What a row's `ref` points at, by the row's type, to name it when it is not among the rows at hand.
_REFERRED: Final = {
    "conflict_resolved": "a conflict",
    "repair_offered": "a conflict",
    "repair_accepted": "a repair attempt",
    "repair_declined": "a repair attempt",
    "promise_kept": "a promise",
    "promise_broken": "a promise",
    "promise_renegotiated": "a promise",
    "promise_released": "a promise",
}


def _day(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%d %b").lstrip("0")


# How an entry is named, by its type (a repair attempt of kind `other` apart, "" any other type): within a
# sentence ("during the conflict about “money” of 3 May"), and in a list to choose from. Each a template
# over the entry's words: `who`, `topic`, `description`, `kind`, `label`, `lower_label`, and its times
# `day`, `when`, `due`.
_NAMES: Final = {
    "conflict_started": ("the conflict about “{topic}” of {day}", "“{topic}”, raised by {who}, {when}"),
    "promise_made": ("{who}'s promise “{description}”", "{who}: “{description}”, due {due}"),
    "repair_offered": ("{who}'s {kind} repair attempt", "{who}'s {kind} attempt, {when}"),
    "repair_offered:other": ("{who}'s repair attempt of {day}", "{who}'s repair attempt, {when}"),
    "": ("the {lower_label} of {day}", "{label}, {when}"),
}


def _name(row: Mapping[str, Any], names: Mapping[str, str], zone: str, *, in_list: bool) -> str:
    """An entry named as `_NAMES` says for its type: within a sentence, or `in_list`."""
    kind = row["type"]
    case = f"{kind}:other" if kind == "repair_offered" and row["kind"] == "other" else kind
    in_sentence, listed = _NAMES.get(case, _NAMES[""])
    template = listed if in_list else in_sentence
    label = TYPE_LABELS.get(kind, kind)
    due = row.get("due_at")
    return template.format(
        who=_named(row.get("by"), names),
        topic=row.get("topic"),
        description=row.get("description"),
        kind=row.get("kind"),
        label=label,
        lower_label=label.lower(),
        day=_day(row["occurred_at"], zone),
        when=local_text(row["occurred_at"], zone),
        due="" if due is None else local_text(due, zone),
    )


def refer(
    ref: str | None,
    index: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, str],
    zone: str = "UTC",
    referring: str | None = None,
) -> str:
    """A readable name for the entry a row refers to ("the conflict about “money” of 3 May"), from the
    rows at hand; never its id: when it is not among them, what kind of entry it is ("an earlier
    conflict"), by the type of the `referring` row."""
    if ref is None:
        return ""
    target = index.get(ref)
    if target is None:
        return f"{_REFERRED.get(referring or '', 'an entry')} logged earlier"
    return _name(target, names, zone, in_list=False)


def choice_label(row: Mapping[str, Any], names: Mapping[str, str], zone: str) -> str:
    """How an open conflict, a waiting repair attempt or an open promise is named in a list to choose
    from."""
    return _name(row, names, zone, in_list=True)


def entry_line(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    zone: str,
    index: Mapping[str, Mapping[str, Any]] | None = None,
) -> EntryLine:
    """One timeline row as words. `index` maps entry ids to rows, to name what a row refers to."""
    index = index or {}
    kind = row["type"]
    details: list[str] = []
    ref = row.get("ref")
    if kind == "couple_registered":
        details.append(" & ".join(names.values()))
    elif kind == "conflict_started":
        details.append(f"about “{row['topic']}”, intensity {row['intensity']} of 5")
        if row.get("horsemen"):
            details.append("horsemen: " + ", ".join(row["horsemen"]))
    elif kind == "repair_offered":
        details.append(repair_kind_word(str(row["kind"])))
        if ref:
            details.append("during " + refer(ref, index, names, zone, kind))
    elif kind == "promise_made":
        details.append(f"“{row['description']}”, due {local_text(row['due_at'], zone)}")
    elif kind == "promise_renegotiated":
        details.append(f"{refer(ref, index, names, zone, kind)}, now due {local_text(row['due_at'], zone)}")
    elif kind == "check_in":
        details.append(f"closeness {row['closeness']} of 10, trust {row['trust']} of 10")
        if row.get("csi4"):
            details.append(f"satisfaction (CSI-4) {sum(row['csi4'])} of 21")
    elif kind == "bid_made":
        details.append(f"met: {RESPONSE_LABELS.get(row['response'], row['response'])}")
    elif kind == "entry_retracted":
        details.append(refer(ref, index, names, zone, kind))
        if row.get("reason"):
            details.append(f"reason: {row['reason']}")
    elif ref:
        details.append(refer(ref, index, names, zone, kind))
    by = row.get("by")
    logged_by = row.get("logged_by")
    who = _named(by, names)
    if logged_by and logged_by != by:
        who = (
            f"{who} (logged by {_named(logged_by, names)})"
            if who
            else f"logged by {_named(logged_by, names)}"
        )
    return EntryLine(
        entry_id=row["entry_id"],
        type=kind,
        title=TYPE_LABELS.get(kind, kind),
        when=local_text(row["occurred_at"], zone),
        who=who,
        details="; ".join(d for d in details if d),
        note=row.get("note"),
        private=bool(row.get("note_hidden")),
        retracted=bool(row.get("retracted")),
        retractable=kind not in NOT_RETRACTABLE and not row.get("retracted"),
    )


def promise_actions(due_at: datetime, now: datetime) -> tuple[str, ...]:
    """What can still be recorded about an open promise now: kept or broken always; renegotiated or
    released only while its current due time has not passed (SPEC section 3)."""
    if now > due_at:
        return ("promise_kept", "promise_broken")
    return ("promise_kept", "promise_broken", "promise_renegotiated", "promise_released")


def attempt_markdown(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    zone: str,
    index: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """A repair attempt waiting for an answer, as one line of Markdown with every word a person typed
    escaped: "**Ben** offered **apology** during the conflict about “money” of 3 May · <when>", or
    "**Ben** made a repair attempt · <when>" for an attempt of kind `other`."""
    verb, kind = offered_words(str(row["kind"]))
    text = f"**{escape_markdown(_named(row.get('by'), names))}** {verb}"
    if kind is not None:
        text += f" **{escape_markdown(kind)}**"
    if row.get("ref"):
        text += " during " + escape_markdown(refer(row["ref"], index or {}, names, zone, "repair_offered"))
    return f"{text} · {local_text(row['occurred_at'], zone)}"
