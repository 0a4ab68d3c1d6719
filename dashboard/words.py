"""What the forms say: labels, example phrases, one-line explanations, the CSI-4 items and their answer
labels. All in the project's own words (the CSI-4 items are the published items of the short form,
Funk & Rogge 2007, which are meant to be asked as written)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from domain.vocabulary import BID_RESPONSES, CSI4_RANGES, HORSEMEN, REPAIR_KINDS
from projections.wording import FORM_TITLES as _FORM_TITLES


def one_for_each(vocabulary: Iterable[str], table: dict[str, str]) -> dict[str, str]:
    """`table`, checked to say something for each word of `vocabulary` and for nothing else."""
    assert set(table) == set(vocabulary), sorted(set(table) ^ set(vocabulary))
    return table


# The heading of each entry type's form: with the other words for entry types, in projections.wording.
FORM_TITLES: Final = _FORM_TITLES

FORM_HINTS: Final = {
    "conflict_started": "Name what it was about in a few words. Recurring topics show up on the overview.",
    "conflict_resolved": "When you both feel it is settled for now.",
    "repair_offered": "Anything one of you did to calm things down or reconnect during a disagreement.",
    "repair_accepted": "The other partner's repair attempt landed. One click on Waiting on you does it too.",
    "repair_declined": "It did not land this time. That is worth knowing, not a failure.",
    "promise_made": "Small, concrete promises with a due time build trust best.",
    "promise_kept": "Kept, even if late.",
    "promise_broken": "Not kept. Say so plainly; it helps more than letting it lapse.",
    "promise_renegotiated": "Agreed on a new due time before the old one passed.",
    "promise_released": "You both agreed it no longer applies, before it was due.",
    "check_in": "How close and how trusting it feels right now, each partner on their own.",
    "bid_made": "A small reach for attention or connection, and how the other partner met it.",
    "appreciation_expressed": "Something you noticed and said thank you for.",
}

REPAIR_EXAMPLES: Final = one_for_each(
    REPAIR_KINDS,
    {
        "apology": "“I'm sorry, that came out sharper than I meant.”",
        "humor": "A light joke that lets you both breathe again.",
        "affection": "A hand on the arm, a hug, “come here”.",
        "pause": "“Can we stop for twenty minutes and come back to this?”",
        "validation": "“You have a point, I can see why that hurt.”",
        "compromise": "“What if you choose Saturday and I choose Sunday?”",
        "reassurance": "“We're okay. I'm not going anywhere.”",
        "other": "Anything else that tried to turn things around.",
    },
)

HORSEMAN_LINES: Final = one_for_each(
    HORSEMEN,
    {
        "criticism": "Going after who the other person is rather than what they did (“you always…”).",
        "contempt": "Mocking, sneering, eye-rolling or sarcasm: talking down from above.",
        "defensiveness": "Hitting back or playing the innocent instead of hearing the complaint.",
        "stonewalling": "Shutting down: going silent, looking away, leaving the conversation inside.",
    },
)

BID_LINES: Final = one_for_each(
    BID_RESPONSES,
    {
        "toward": "Turned toward: noticed it and responded, even briefly.",
        "away": "Turned away: missed it or ignored it.",
        "against": "Turned against: answered with irritation or hostility.",
    },
)

INTENSITY_LABELS: Final = {1: "1 · mild", 2: "2", 3: "3 · heated", 4: "4", 5: "5 · intense"}

# The Couples Satisfaction Index, short form (Funk & Rogge, 2007): the four items in order, each with the
# labels of its answers from the lowest value up.
CSI4_ITEMS: Final = (
    (
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        (
            "Extremely unhappy",
            "Fairly unhappy",
            "A little unhappy",
            "Happy",
            "Very happy",
            "Extremely happy",
            "Perfect",
        ),
    ),
    (
        "I have a warm and comfortable relationship with my partner.",
        (
            "Not at all true",
            "A little true",
            "Somewhat true",
            "Mostly true",
            "Almost completely true",
            "Completely true",
        ),
    ),
    (
        "How rewarding is your relationship with your partner?",
        ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
    ),
    (
        "In general, how satisfied are you with your relationship?",
        ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
    ),
)
assert [len(labels) - 1 for _, labels in CSI4_ITEMS] == [high for _, high in CSI4_RANGES]

SHARED_DEVICE_HELP: Final = (
    "Choosing a name here only tells the app who is logging, so it can fill in your name and show you "
    "your own private notes. It is not a lock: anyone using this device can choose either name, and "
    "private notes are hidden on a shared screen, not protected."
)
