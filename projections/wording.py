"""The words a person reads for each entry type, in one table: the label of a timeline row or a list
to choose from, the title of the form that logs it, and the word a report's notes table uses for it.
The dashboard, the command line and the counselor report all take them from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from domain.vocabulary import BID_RESPONSES, ENTRY_TYPES


@dataclass(frozen=True)
class EntryWording:
    label: str  # a timeline row, a choice in a list ("Repair attempt")
    form: str | None  # the heading of the form that logs it; None where no form does
    word: str  # inside a sentence or a report's table ("repair attempt")


ENTRY_WORDING: Final = {
    "couple_registered": EntryWording("Couple registered", None, "couple registered"),
    "conflict_started": EntryWording("Conflict", "A conflict started", "conflict"),
    "conflict_resolved": EntryWording("Conflict resolved", "A conflict was resolved", "conflict resolved"),
    "repair_offered": EntryWording("Repair attempt", "A repair attempt was offered", "repair attempt"),
    "repair_accepted": EntryWording("Repair accepted", "A repair attempt was accepted", "repair accepted"),
    "repair_declined": EntryWording("Repair declined", "A repair attempt was declined", "repair declined"),
    "promise_made": EntryWording("Promise", "A promise was made", "promise made"),
    "promise_kept": EntryWording("Promise kept", "A promise was kept", "promise kept"),
    "promise_broken": EntryWording("Promise broken", "A promise was broken", "promise broken"),
    "promise_renegotiated": EntryWording(
        "Promise renegotiated", "A promise got a new due time", "promise renegotiated"
    ),
    "promise_released": EntryWording(
        "Promise released", "A promise was released by agreement", "promise released"
    ),
    "check_in": EntryWording("Check-in", "A check-in", "check-in"),
    "bid_made": EntryWording("Bid for connection", "A bid for connection", "bid"),
    "appreciation_expressed": EntryWording("Appreciation", "An appreciation", "appreciation"),
    "entry_retracted": EntryWording("Retraction", None, "entry retracted"),
}

assert set(ENTRY_WORDING) == set(ENTRY_TYPES)

# The label of each entry type (timeline rows, the lists to choose from).
TYPE_LABELS: Final = {kind: w.label for kind, w in ENTRY_WORDING.items()}
# The heading of each form, for the entry types a form logs.
FORM_TITLES: Final = {kind: w.form for kind, w in ENTRY_WORDING.items() if w.form is not None}
# How a bid was met, inside a sentence.
RESPONSE_LABELS: Final = {"toward": "turned toward", "away": "turned away", "against": "turned against"}
assert set(RESPONSE_LABELS) == set(BID_RESPONSES)


def entry_word(kind: str) -> str:
    """The word for an entry type inside a sentence; the type itself, readable, when it is unknown."""
    wording = ENTRY_WORDING.get(kind)
    return wording.word if wording is not None else kind.replace("_", " ")


def counted(count: int, one: str, many: str | None = None) -> str:
    """A count with its noun in the right number: "1 entry", "2 entries" (`many` defaults to `one` + "s")."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def repair_kind_word(kind: str) -> str:
    """A repair attempt's kind inside a sentence ("apology"; "another kind" for `other`)."""
    return "another kind" if kind == "other" else kind


def offered_words(kind: str) -> tuple[str, str | None]:
    """What someone did, as (verb, kind): ("offered", "apology"), or ("made a repair attempt", None) for a
    repair attempt of kind `other` (never "offered other")."""
    return ("made a repair attempt", None) if kind == "other" else ("offered", kind)
