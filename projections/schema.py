"""The schema of the metrics object (SPEC section 4, "Machine-readable form"), for the content library.

The content package (guidance pieces, the report's observations) checks every condition and text template
against the shape of the numbers it will read, but it never imports the read side: whoever loads content
passes ``METRICS_SCHEMA`` in (``content.library.load_library(schema=...)``). The leaves are the kinds of
``content.schema``: "int", "number" (never null), "number?" (null when over nothing), "list", "string";
the key "*" stands for any partner handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from content.schema import Schema, SchemaNode

__all__ = ["METRICS_SCHEMA"]

_REPAIR: Final[Mapping[str, SchemaNode]] = {
    "offered": "int",
    "accepted": "int",
    "declined": "int",
    "pending": "int",
    "acceptance_rate": "number?",
}
_PROMISES: Final[Mapping[str, SchemaNode]] = {
    "due": "int",
    "kept": "int",
    "kept_late": "int",
    "broken": "int",
    "lapsed": "int",
    "open": "int",
    "keeping_rate": "number?",
}
_CHECK_INS: Final[Mapping[str, SchemaNode]] = {
    "count": "int",
    "mean_closeness": "number?",
    "mean_trust": "number?",
    "csi4_count": "int",
    "mean_csi4": "number?",
    "csi4_below_cutoff": "int",
}

#: The metrics object, exactly as SPEC section 4 "Machine-readable form" shapes it.
METRICS_SCHEMA: Final[Schema] = {
    "couple": "string",
    "as_of": "string",
    "window_days": "int",
    "repair": {**_REPAIR, "by_partner": {"*": _REPAIR}},
    "promises": {**_PROMISES, "by_partner": {"*": _PROMISES}},
    "trust_consistency": {
        "score": "number",
        "weight": "number",
        "by_partner": {"*": "number"},
        "weight_by_partner": {"*": "number"},
    },
    "check_ins": {"count": "int", "by_partner": {"*": _CHECK_INS}},
    "bids": {
        "total": "int",
        "toward": "int",
        "away": "int",
        "against": "int",
        "turn_toward_rate": "number?",
    },
    "positive_negative": {"positive": "int", "negative": "int", "ratio": "number?"},
    "conflicts": {
        "started": "int",
        "resolved": "int",
        "horsemen": {"criticism": "int", "contempt": "int", "defensiveness": "int", "stonewalling": "int"},
        "recurring_topics": "list",
        "repaired": "int",
        "median_minutes_to_repair": "number?",
    },
    "weekly": "list",
}
