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
    "entry.line_too_long": "a line is at most 1 MiB (1,048,576 bytes, the line end not counted)",
    "entry.duplicate_key": "an object names each key once (a repeated key is refused, never 'last one wins')",
    "entry.not_utf8": "a line must be UTF-8 text",
    "entry.byte_order_mark": "a line may not start with a byte order mark (save the file as plain UTF-8)",
    "entry.nul_byte": "a line may not hold NUL bytes (a binary or UTF-16 file is not JSON Lines)",
    "input.closed": "importing from - needs an open standard input",
    "input.empty": "importing from - needs entries on standard input",
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

# Refusals outside the rules of an entry: an option, a file, the store's configuration, a busy store.
# They carry a field and a code like an entry's refusal (`domain.errors.Refusal`); a code of RULES may be
# reused (couple.unknown, time.out_of_range, window.out_of_range), so these list only the new ones.
REFUSALS: dict[str, str] = {
    # --- options and files of a request ------------------------------------------------------
    "date.invalid": "a day must be written like 2026-03-01",
    "date.future": "the last day of an export cannot lie after today in the couple's time zone",
    "period.reversed": "the first day of an export cannot come after its last day",
    "path.missing": "the file or folder named does not exist",
    "path.exists": "a backup never overwrites a file: name a new one",
    "backup.invalid": "the file given to restore is not a repairtrack backup",
    "backup.untrusted": "a backup holds only the tables of a repairtrack store: no triggers, views or others",
    "backup.damaged": "every entry of a backup must read back as it was written (with the store's key)",
    "export.exists": "an export never replaces a file unless --force is given",
    "store.missing": "there is no store to back up in this data folder",
    "store.not_empty": "a backup is restored into a data folder that holds no store yet",
    "store.on_postgres": "backup and restore work on the SQLite store; PostgreSQL has its own tools",
    "confirmation.mismatch": "forgetting a couple needs its handle typed again",
    "passphrase.too_short": "an access passphrase is at least 10 characters",
    "passphrase.replaced": "accounts replace the shared access passphrase: `repairtrack account invite`",
    # --- serving (`repairtrack dashboard`) ------------------------------------------------------
    "serve.open_mode": "a dashboard reachable from other devices needs accounts first",
    "serve.no_tls": "a dashboard reachable from other devices needs TLS or a trusted reverse proxy",
    "serve.tls_incomplete": "serving over TLS needs both a certificate and its key",
    "serve.bad_proxy": "a trusted proxy is named by its IP address",
    # --- accounts, invitations, sign-in (SPEC section 8) -------------------------------------
    "account.pattern": "an account name is 1-40 characters of a-z, 0-9 and '-', first a letter or digit",
    "account.role": "an account's role is partner or counselor",
    "account.partner_missing": "a partner's account names its couple and its partner",
    "account.counselor_bound": "a counselor's account belongs to no couple",
    "account.display_name": "an account needs a display name",
    "account.taken": "an account name is unique among accounts: choose another",
    "account.unknown": "there is no account with this name",
    "account.partner_taken": "a partner has at most one account",
    "account.already_disabled": "a disabled account cannot be disabled again",
    "account.not_disabled": "only a disabled account can be enabled",
    "passphrase.not_hashed": "only an argon2id hash of a passphrase is stored",
    "passphrase.contains_name": "a passphrase may not contain the account name (in any case)",
    "passphrase.common": "a passphrase may not be one of the 10,000 most common passwords",
    "invitation.not_hashed": "only the SHA-256 hash of an invitation code is stored",
    "invitation.purpose": "an invitation is to join (a new account) or to reset one account's passphrase",
    "invitation.hours": "an invitation lasts from 1 hour to 30 days",
    "invitation.unknown": "the invitation code is not one this store made",
    "invitation.used": "an invitation code can be used once",
    "invitation.expired": "an invitation code can be used only before it expires",
    "invitation.other_account": "a reset code chooses a new passphrase for the account it was made for only",
    "external.incomplete": "an external identity names its issuer and its subject",
    "external.taken": "an external identity is bound to one account only",
    "external.unknown": "no account is bound to this external identity",
    "calendar.not_set": "only a calendar feed that is set can be ended",
    "calendar.partners_only": "a calendar feed belongs to a partner's account",
    "sharing.counselors_only": "only a counselor's account has a sharing code",
    "sharing.pattern": "a sharing code is two groups of four letters and digits, like K7QM-3XPA",
    "rhythm.weekday": "a check-in day is a weekday from 0 (Monday) to 6 (Sunday)",
    "rhythm.time": "a check-in time is a time of day written like 19:30 (00:00 to 23:59)",
    "signin.failed": "the account name and passphrase must match an enabled account",
    "signin.throttled": "after a failed sign-in the next attempt waits (1 s, doubling up to 15 minutes)",
    "token.unknown": "there is no such personal token for this account",
    "token.days": "a personal token lasts from 1 to 3650 days (or until revoked)",
    # --- who may do what (SPEC section 8; repairtrack.services.permissions) ----------------------
    "access.not_found": "a couple you may not see is answered exactly like a couple that does not exist",
    "access.read_only": "a counselor reads the couples that grant them access and never writes entries",
    "access.partners_only": "only the partners of a couple grant, revoke and read who may read it",
    "access.counselors_only": "only a counselor records the dates of their sessions with a couple",
    "access.not_a_counselor": "access is granted only to an existing counselor's account",
    "access.other_couple": "an entry is recorded only for the couple it is sent to",
    "access.logged_by_not_you": "a partner logs every entry as themselves (logged_by is you)",
    "access.check_in_not_you": "a check-in is about yourself: its by is you",
    "access.not_yours_to_answer": (
        "only the other partner answers a repair attempt, and only the partner a promise was made to"
        " records it kept or broken"
    ),
    "access.not_yours_to_retract": "a partner retracts only entries they logged themselves",
    # --- the configuration --------------------------------------------------------------------
    "config.not_a_number": "a setting that counts seconds must be a whole number of at least 1",
    "config.bad_url": "REPAIRTRACK_DATABASE_URL is postgresql://user:password@host:port/dbname",
    "config.oidc_incomplete": "sign-in through a provider needs its metadata URL, client id and secret",
    "config.oidc_bad_url": "REPAIRTRACK_OIDC_METADATA_URL is the provider's https:// metadata address",
    "key.invalid": "REPAIRTRACK_ENCRYPTION_KEY must be a key made by `repairtrack keygen`",
    "key.missing": "an encrypted store needs REPAIRTRACK_ENCRYPTION_KEY set to its key",
    "key.wrong": "REPAIRTRACK_ENCRYPTION_KEY must be the key the store was encrypted with",
    "key.unexpected": "a plain store cannot be opened with an encryption key",
    # --- a busy store (try again later) --------------------------------------------------------
    "read_model.busy": "the read model is in use by another process for longer than the lock timeout",
}


def is_registered(code: str) -> bool:
    """Whether a refusal may carry this code: a rule of an entry, or a refusal of a request."""
    return code in RULES or code in REFUSALS


def describe(code: str) -> str:
    """The plain-words rule behind a code."""
    return RULES[code] if code in RULES else REFUSALS[code]
