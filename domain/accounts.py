"""The `Account` and `Invitation` aggregates: who may sign in (SPEC section 8, "Accounts").

An account is named like a couple handle (its id derived from the name, so a name is taken once), has a
display name and a role: `partner` (bound to one partner of one couple) or `counselor`. Its passphrase is
only ever an argon2id hash, made outside the domain. An invitation is a one-time code (only its SHA-256
hash is stored; the id derives from that hash) to join as a new account ("join") or to choose a new
passphrase for an existing one ("reset"); it can be redeemed once, before it expires.

Events are in the past tense; the guards raise `domain.errors.Refusal` before any event is triggered.
These are not entries of SPEC section 3: no metric and no `events.jsonl` sees them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar, Final
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import Refusal
from domain.ids import PLAIN_IDS, IdScheme
from domain.vocabulary import HANDLE_RE

ACCOUNT_NAMESPACE: Final = UUID("9d4e2a71-5c3b-5f08-a6d2-1e7b3c9f0a45")
INVITATION_NAMESPACE: Final = UUID("c1a7f3e2-4b6d-5e90-8f21-6d3a0b7c9e18")
ROLES: Final = ("partner", "counselor")
PURPOSES: Final = ("join", "reset")
# A counselor's sharing code: two groups of four letters and digits that cannot be misread for another
# (no 0/O, 1/I/L, 5/S, 8/B), e.g. "K7QM-3XPA". It names the counselor without their account name.
SHARING_ALPHABET: Final = "2345679ACDEFGHJKMNPQRTUVWXYZ"
SHARING_GROUPS: Final = (4, 4)
_SHARING_RE: Final = re.compile(
    "-".join(f"[{SHARING_ALPHABET}]{{{size}}}" for size in SHARING_GROUPS), re.ASCII
)


def sharing_code_of(text: object) -> str | None:
    """The sharing code a person typed, in its one written form ("k7qm 3xpa" -> "K7QM-3XPA"), or None
    when the text is not shaped like one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    letters = "".join(c for c in text.upper() if c not in " -")
    cut = SHARING_GROUPS[0]
    code = f"{letters[:cut]}-{letters[cut:]}"
    return code if _SHARING_RE.fullmatch(code) else None


def check_account_name(name: str) -> None:
    """An account is named like a couple handle."""
    if not isinstance(name, str) or not HANDLE_RE.fullmatch(name):
        raise Refusal(
            "account",
            "account.pattern",
            "an account name is 1-40 characters of a-z, 0-9 and '-', starting with a letter or digit",
        )


class Account(Aggregate):
    class_version: ClassVar[int] = 1

    @staticmethod
    def create_id(name: str, ids: IdScheme = PLAIN_IDS) -> UUID:
        """The account's id: from its name, by the store's `IdScheme` (keyed when encrypted)."""
        return ids.aggregate_id(ACCOUNT_NAMESPACE, name)

    def __init__(
        self, name: str, display_name: str, role: str, couple: str | None, partner: str | None
    ) -> None:
        self.name = name
        self.display_name = display_name
        self.role = role
        self.couple = couple
        self.partner = partner
        self.passphrase_hash: str | None = None
        self.disabled = False
        self.external: list[tuple[str, str]] = []  # (issuer, subject) of each bound identity
        self.calendar_feed: dict[str, Any] | None = None  # {"token_hash", "details"} while set
        self.sharing_code: str | None = None  # a counselor's, once made (a new one replaces it)

    # ------------------------------------------------------------------------------------------
    class Event(Aggregate.Event):
        pass

    class Created(Event, Aggregate.Created):
        name: str
        display_name: str
        role: str
        couple: str | None
        partner: str | None

    class PassphraseSet(Event):
        passphrase_hash: str | None  # None: the passphrase was cleared (a reset is pending)

        def apply(self, aggregate: Any) -> None:
            aggregate.passphrase_hash = self.passphrase_hash

    class Disabled(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.disabled = True

    class Enabled(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.disabled = False

    class ExternalIdentityBound(Event):
        issuer: str
        subject: str

        def apply(self, aggregate: Any) -> None:
            aggregate.external.append((self.issuer, self.subject))

    class CalendarFeedSet(Event):
        token_hash: str
        details: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.calendar_feed = {"token_hash": self.token_hash, "details": self.details}

    class CalendarFeedEnded(Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.calendar_feed = None

    class SharingCodeSet(Event):
        code: str

        def apply(self, aggregate: Any) -> None:
            aggregate.sharing_code = self.code

    # ------------------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        name: str,
        *,
        display_name: str,
        role: str,
        couple: str | None = None,
        partner: str | None = None,
        at: datetime,
        ids: IdScheme = PLAIN_IDS,
    ) -> Account:
        check_account_name(name)
        if role not in ROLES:
            raise Refusal("role", "account.role", f"a role is one of {', '.join(ROLES)}")
        if role == "partner" and not (couple and partner):
            raise Refusal(
                "partner", "account.partner_missing", "a partner's account names its couple and partner"
            )
        if role == "counselor" and (couple or partner):
            raise Refusal("couple", "account.counselor_bound", "a counselor's account belongs to no couple")
        if not display_name.strip():
            raise Refusal("name", "account.display_name", "an account needs a display name")
        return cls._create(
            cls.Created,
            id=cls.create_id(name, ids),
            timestamp=at,
            name=name,
            display_name=display_name,
            role=role,
            couple=couple,
            partner=partner,
        )

    def set_passphrase(self, passphrase_hash: str | None, *, at: datetime) -> None:
        if passphrase_hash is not None and not passphrase_hash.startswith("$argon2id$"):
            raise Refusal(
                "passphrase", "passphrase.not_hashed", "only an argon2id hash of a passphrase is kept"
            )
        self.trigger_event(self.PassphraseSet, timestamp=at, passphrase_hash=passphrase_hash)

    def disable(self, *, at: datetime) -> None:
        if self.disabled:
            raise Refusal(
                "account", "account.already_disabled", f"the account {self.name!r} is already disabled"
            )
        self.trigger_event(self.Disabled, timestamp=at)

    def enable(self, *, at: datetime) -> None:
        if not self.disabled:
            raise Refusal("account", "account.not_disabled", f"the account {self.name!r} is not disabled")
        self.trigger_event(self.Enabled, timestamp=at)

    def bind_external(self, issuer: str, subject: str, *, at: datetime) -> None:
        if not issuer or not subject:
            raise Refusal(
                "issuer", "external.incomplete", "an external identity names its issuer and subject"
            )
        if (issuer, subject) in self.external:
            raise Refusal(
                "subject", "external.taken", "this external identity is already bound to an account"
            )
        self.trigger_event(self.ExternalIdentityBound, timestamp=at, issuer=issuer, subject=subject)

    def set_calendar_feed(self, token_hash: str, *, details: bool, at: datetime) -> None:
        self.trigger_event(self.CalendarFeedSet, timestamp=at, token_hash=token_hash, details=details)

    def end_calendar_feed(self, *, at: datetime) -> None:
        if self.calendar_feed is None:
            raise Refusal("account", "calendar.not_set", f"the account {self.name!r} has no calendar feed")
        self.trigger_event(self.CalendarFeedEnded, timestamp=at)

    def set_sharing_code(self, code: str, *, at: datetime) -> None:
        """A counselor's (new) sharing code; the one before stops naming them."""
        if self.role != "counselor":
            raise Refusal("account", "sharing.counselors_only", "only a counselor has a sharing code")
        if sharing_code_of(code) != code:
            raise Refusal("code", "sharing.pattern", "a sharing code is two groups of four, like K7QM-3XPA")
        self.trigger_event(self.SharingCodeSet, timestamp=at, code=code)


class Invitation(Aggregate):
    class_version: ClassVar[int] = 1

    @staticmethod
    def create_id(code_hash: str, ids: IdScheme = PLAIN_IDS) -> UUID:
        """The invitation's id: from its code's hash, by the store's `IdScheme` (keyed when encrypted)."""
        return ids.aggregate_id(INVITATION_NAMESPACE, code_hash)

    def __init__(
        self,
        code_hash: str,
        role: str,
        couple: str | None,
        partner: str | None,
        display_name: str,
        expires_at: datetime,
        purpose: str,
        account: str | None,
    ) -> None:
        self.code_hash = code_hash
        self.role = role
        self.couple = couple
        self.partner = partner
        self.display_name = display_name
        self.expires_at = expires_at
        self.purpose = purpose
        self.account = account
        self.redeemed_by: str | None = None

    class Event(Aggregate.Event):
        pass

    class Made(Event, Aggregate.Created):
        code_hash: str
        role: str
        couple: str | None
        partner: str | None
        display_name: str
        expires_at: datetime
        purpose: str
        account: str | None

    class Redeemed(Event):
        account: str

        def apply(self, aggregate: Any) -> None:
            aggregate.redeemed_by = self.account

    @classmethod
    def make(
        cls,
        code_hash: str,
        *,
        role: str,
        display_name: str,
        expires_at: datetime,
        at: datetime,
        couple: str | None = None,
        partner: str | None = None,
        purpose: str = "join",
        account: str | None = None,
        ids: IdScheme = PLAIN_IDS,
    ) -> Invitation:
        if len(code_hash) != 64:
            raise Refusal(
                "code", "invitation.not_hashed", "only the SHA-256 hash of an invitation code is kept"
            )
        if role not in ROLES:
            raise Refusal("role", "account.role", f"a role is one of {', '.join(ROLES)}")
        if purpose not in PURPOSES:
            raise Refusal(
                "purpose", "invitation.purpose", "an invitation is to join or to reset a passphrase"
            )
        if (purpose == "reset") != (account is not None):
            raise Refusal(
                "account", "invitation.purpose", "a reset names its account, an invitation to join does not"
            )
        if expires_at <= at:
            raise Refusal("hours", "invitation.hours", "an invitation must expire after it is made")
        return cls._create(
            cls.Made,
            id=cls.create_id(code_hash, ids),
            timestamp=at,
            code_hash=code_hash,
            role=role,
            couple=couple,
            partner=partner,
            display_name=display_name,
            expires_at=expires_at,
            purpose=purpose,
            account=account,
        )

    def check_redeemable(self, account: str, *, at: datetime) -> None:
        """Refuse a used or expired code, or a reset code used for another account."""
        if self.redeemed_by is not None:
            raise Refusal("code", "invitation.used", "this invitation was already used; ask for a new one")
        if at >= self.expires_at:
            raise Refusal("code", "invitation.expired", "this invitation has expired; ask for a new one")
        if self.purpose == "reset" and account != self.account:
            raise Refusal("account", "invitation.other_account", "this code resets another account")

    def redeem(self, account: str, *, at: datetime) -> None:
        self.check_redeemable(account, at=at)
        self.trigger_event(self.Redeemed, timestamp=at, account=account)
