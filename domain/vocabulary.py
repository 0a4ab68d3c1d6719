"""The words of SPEC section 2 and 3 that have a fixed set of values."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Final

ENTRY_TYPES: Final = (
    "couple_registered",
    "conflict_started",
    "conflict_resolved",
    "repair_offered",
    "repair_accepted",
    "repair_declined",
    "promise_made",
    "promise_kept",
    "promise_broken",
    "promise_renegotiated",
    "promise_released",
    "check_in",
    "bid_made",
    "appreciation_expressed",
    "entry_retracted",
)

HORSEMEN: Final = ("criticism", "contempt", "defensiveness", "stonewalling")
REPAIR_KINDS: Final = (
    "apology",
    "humor",
    "affection",
    "pause",
    "validation",
    "compromise",
    "reassurance",
    "other",
)
BID_RESPONSES: Final = ("toward", "away", "against")
INTENSITY_RANGE: Final = (1, 5)  # a conflict's intensity
SCALE_RANGE: Final = (1, 10)  # a check-in's closeness and trust
REPAIR_OUTCOMES: Final = ("repair_accepted", "repair_declined")
PROMISE_OUTCOMES: Final = ("promise_kept", "promise_broken")

# CSI-4 (Funk & Rogge 2007): four items, answered in this order, each with its own range.
CSI4_RANGES: Final = ((0, 6), (0, 5), (0, 5), (0, 5))
CSI4_CUTOFF: Final = 13.5  # totals below this indicate notable relationship dissatisfaction

HANDLE_RE: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
ID_RE: Final = re.compile(r"[A-Za-z0-9_.:-]{1,64}")

MAX_TEXT: Final = 2000
MAX_TOPIC: Final = 60
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
