"""SPEC section 8 "who may do what", as small pure functions with stable codes (registered in
`domain.rules.REFUSALS`). The service layer (`repairtrack.services.couples`) calls them once for every
read and write of the pages, the HTTP API and the export; nothing here touches a store.

- The operator (the command line) is not bound; in open mode (no accounts) whoever is at the screen may
  read and write, and "private" only hides a note on the shared screen.
- A partner sees and writes their own couple only; a counselor reads the couples that grant them access.
- Anything about a couple the caller may not see is refused exactly as a couple that does not exist
  (`NotVisible`, code `access.not_found`): the same field, code and sentence, so the API answers 404 alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from domain.errors import Problem, Refusal
from repairtrack.services.actors import Actor

NOT_FOUND: Final = "access.not_found"
ANSWERS: Final = {"repair_accepted": "attempt", "repair_declined": "attempt"}
SETTLES: Final = {"promise_kept": "promise", "promise_broken": "promise"}


class NotVisible(Refusal, LookupError):
    """The couple does not exist, or the caller may not see it (the same answer: 404)."""


class NotAllowed(Refusal):
    """The caller sees the couple but may not do this (403)."""


def not_found(couple: object) -> NotVisible:
    """The one refusal for an unknown couple and for a couple the caller may not see."""
    shown = couple if isinstance(couple, str) and len(couple) <= 40 else "that handle"
    return NotVisible("couple", NOT_FOUND, f"there is no couple {shown!r}")


# ----------------------------------------------------------------------------------------------
# Seeing a couple.
# ----------------------------------------------------------------------------------------------
def may_see(actor: Actor, couple: str, *, exists: bool, granted: bool) -> bool:
    """Whether the actor may see the couple: the operator and open mode any couple that exists, a partner
    their own, a counselor one that grants them access now."""
    if not exists:
        return False
    if actor.kind == "partner":
        return actor.couple == couple
    if actor.kind == "counselor":
        return granted
    return True


def check_visible(actor: Actor, couple: str, *, exists: bool, granted: bool) -> None:
    if not may_see(actor, couple, exists=exists, granted=granted):
        raise not_found(couple)


def check_writer(actor: Actor) -> None:
    """Only partners (and, unbound, the operator and open mode) write entries."""
    if actor.kind == "counselor":
        raise NotAllowed(
            "couple", "access.read_only", "a counselor reads a couple's entries, never writes them"
        )


def check_partner_side(actor: Actor) -> None:
    """Grants and the access log belong to the couple: a counselor who sees the couple may not change or
    read them."""
    if actor.kind == "counselor":
        raise NotAllowed(
            "couple", "access.partners_only", "only the partners of a couple manage who may read it"
        )


def check_counselor(actor: Actor) -> None:
    if actor.kind != "counselor":
        raise NotAllowed("couple", "access.counselors_only", "only a counselor records the dates of sessions")


def counselor_problem(account: Any, role: str | None, *, exists: bool) -> Problem | None:
    """Access is granted only to an existing counselor's account."""
    if exists and role == "counselor":
        return None
    shown = account if isinstance(account, str) and len(account) <= 40 else "that name"
    return Problem("counselor", "access.not_a_counselor", f"there is no counselor's account {shown!r}")


# ----------------------------------------------------------------------------------------------
# Writing entries.
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Known:
    """What the access rules need to know about an entry recorded before: its type, its `by` and its
    author (`logged_by`, else `by`)."""

    type: str
    by: str | None
    author: str | None


def known_of(entry: Mapping[str, Any]) -> Known:
    by = entry.get("by")
    by = by if isinstance(by, str) else None
    logged_by = entry.get("logged_by")
    author = logged_by if isinstance(logged_by, str) else by
    return Known(str(entry.get("type")), by, author)


def fill_in(actor: Actor, raw: Mapping[str, Any], couple: str) -> dict[str, Any]:
    """An entry with `couple` filled in when left out, and for a partner `logged_by` too (themselves);
    nothing else changes (open mode records what the screen sends, as before)."""
    entry = dict(raw)
    if entry.get("couple") is None:
        entry["couple"] = couple
    if entry.get("logged_by") is None and actor.partner is not None and actor.kind == "partner":
        entry["logged_by"] = actor.partner
    return entry


def entry_problems(
    actor: Actor, entry: Mapping[str, Any], couple: str, known: Mapping[str, Known]
) -> list[Problem]:
    """The access rules one entry of a partner breaks (the operator and open mode are not bound).
    `known` holds the couple's entries recorded before it (the batch's earlier lines included). Entries
    whose shape is wrong are left to the domain's rules."""
    if actor.kind != "partner":
        return []
    me = actor.partner
    problems: list[Problem] = []
    if entry.get("couple") != couple:
        problems.append(
            Problem("couple", "access.other_couple", "an entry is recorded only for the couple it is sent to")
        )
    logged_by = entry.get("logged_by")
    if logged_by != me:
        problems.append(
            Problem(
                "logged_by",
                "access.logged_by_not_you",
                f"you log entries as yourself ({me!r}), not as another",
            )
        )
    kind = entry.get("type")
    if kind == "check_in" and entry.get("by") != me:
        problems.append(
            Problem("by", "access.check_in_not_you", "a check-in is about yourself: by must be you")
        )
    if isinstance(kind, str) and (name := ANSWERS.get(kind) or SETTLES.get(kind)) is not None:
        target = _known(known, entry.get(name))
        if target is not None and target.by is not None and target.by == me:
            whom = "a repair attempt is answered by" if name == "attempt" else "a promise is settled by"
            problems.append(
                Problem(name, "access.not_yours_to_answer", f"{whom} the partner it was made to, not by you")
            )
    if kind == "entry_retracted":
        target = _known(known, entry.get("entry"))
        if target is not None and target.author != me:
            problems.append(
                Problem(
                    "entry", "access.not_yours_to_retract", "you retract only entries you logged yourself"
                )
            )
    return problems


def _known(known: Mapping[str, Known], ref: object) -> Known | None:
    return known.get(ref) if isinstance(ref, str) else None


# ----------------------------------------------------------------------------------------------
# Reading notes.
# ----------------------------------------------------------------------------------------------
def note_readable(actor: Actor, entry: Mapping[str, Any], *, notes_granted: bool) -> bool:
    """Whether the actor may read the entry's note (SPEC sections 3 and 8): a private note only its
    author (in open mode the partner who said "this is me"), the operator everything, a counselor shared
    notes only when the grant includes notes."""
    if entry.get("note") is None:
        return True
    private = bool(entry.get("private"))
    if actor.kind == "operator":
        return True
    if actor.kind == "counselor":
        return notes_granted and not private
    author = known_of(entry).author
    return not private or (actor.partner is not None and author == actor.partner)


def shown_entry(actor: Actor, entry: Mapping[str, Any], *, notes_granted: bool) -> dict[str, Any]:
    """The entry as the actor may receive it: a note they may not read is absent, with `private` absent
    too (in open mode `private` stays, so the shared screen can say a private note is hidden)."""
    shown = dict(entry)
    if not note_readable(actor, entry, notes_granted=notes_granted):
        shown.pop("note", None)
        if actor.kind != "open":
            shown.pop("private", None)
    return shown


def export_notes(actor: Actor, asked: bool, *, notes_granted: bool) -> bool:
    """Whether an export includes (shared) notes: as asked, and for a counselor only when granted.
    Private notes are never exported, whoever asks."""
    return asked and (actor.kind != "counselor" or notes_granted)
