"""Every rule of SPEC section 3, each with a stable code.

The code is what a refusal carries (`promise.already_settled`), what the import prints, and what the
behaviour tests are keyed on: `tests/domain/test_rules.py` fails when a code below has no test for its
refused side and its accepted side.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # --- the shape of one entry -------------------------------------------------------------
    "entry.not_json": "each line must be one JSON object",
    "entry.not_object": "an entry must be a JSON object",
    "type.unknown": "type must be one of the entry types of SPEC section 3",
    "field.unknown": "fields not defined for this entry type are refused",
    "field.missing": "this field is required (null counts as absent)",
    "field.not_string": "this field must be a JSON string",
    "field.not_integer": "this field must be a JSON integer (not 5.0, not true)",
    "field.not_boolean": "this field must be true or false",
    "field.not_list": "this field must be a JSON list",
    "field.out_of_range": "the value is outside the allowed range",
    "field.not_a_choice": "the value is not one of the allowed values",
    "handle.pattern": "a handle is 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit",
    "id.pattern": "an id is 1-64 characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'",
    "time.invalid": "a time must be ISO-8601, like 2026-11-02T19:30:00+01:00",
    "time.no_offset": "a time must carry an offset (+01:00 or Z)",
    "time.out_of_range": (
        "occurred_at and every moment asked about lie on or after 2000-01-01T00:00:00Z, due_at before"
        " 2100-01-01T00:00:00Z"
    ),
    "window.out_of_range": "a window is 1 to 3660 days",
    "text.control_char": "free text may not hold control characters other than newline",
    "text.too_long": "free text is at most 2,000 characters",
    "text.empty": "this text may not be empty",
    "topic.length": "a topic is 1-60 characters",
    "horsemen.duplicate": "each horseman is named at most once",
    "csi4.shape": "csi4 holds exactly four answers",
    "timezone.unknown": "timezone must be an IANA zone name, like Europe/Berlin",
    "partners.shape": "partners lists exactly two partners, each with a handle and a name",
    "partners.same_handle": "the two partners need different handles",
    "note.private_without_author": "a private note needs an author (logged_by, or by)",
    # --- rules against what was recorded before ----------------------------------------------
    "occurred_at.in_future": "occurred_at may be at most 5 minutes after the moment of recording",
    "couple.taken": "couple_registered needs a handle no couple uses yet",
    "couple.unknown": "the couple must be registered first",
    "partner.unknown": "by and logged_by must be one of the couple's two partners",
    "id.taken": "an id is used once within a couple, a retracted one included",
    "ref.unknown": "the entry referred to does not exist in this couple",
    "ref.wrong_type": "the entry referred to is not of the kind this field needs",
    "ref.retracted": "the entry referred to was retracted",
    "conflict.already_resolved": "the conflict is already resolved",
    "conflict.before_start": "a resolution cannot come before its conflict started",
    "conflict.starts_after_offer": "a repair attempt cannot name a conflict that started after it",
    "attempt.already_answered": "the repair attempt already has an outcome",
    "attempt.before_offer": "an outcome cannot come before its repair attempt",
    "promise.due_not_after_made": "due_at must be after occurred_at",
    "promise.already_settled": "the promise is already kept or broken",
    "promise.released": "the promise was released",
    "promise.before_made": "this cannot come before the promise was made",
    "promise.before_renegotiation": "a renegotiation cannot come before the latest renegotiation",
    "promise.past_due": "a promise cannot be renegotiated once its current due time has passed",
    "promise.release_after_due": "a lapsed promise cannot be released (released after its due time)",
    "retraction.not_retractable": "couple_registered and retractions cannot be retracted",
    "retraction.already_retracted": "the entry is already retracted",
}


def describe(code: str) -> str:
    """The plain-words rule behind a code."""
    return RULES[code]
