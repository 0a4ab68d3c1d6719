"""The accounts service of SPEC section 8: invitations, joining, signing in and out, sessions, personal
tokens, disabling, enabling and resetting accounts, the sign-in history and the passphrase policy.

The accounts themselves are events (`domain.identity_app.Identity`); sessions, tokens, sign-ins and the
throttle's record live in tables of the same database (`repairtrack.services.sessionstore`). Only hashes
are kept: argon2id for passphrases (argon2-cffi's `PasswordHasher()` defaults, as
`repairtrack.services.access` uses), SHA-256 for session cookies, tokens and invitation codes.

Every refusal is a `domain.errors.Refusal` with a stable code; `Throttled` (a wait) carries `retry_after`.
The clock is injectable (tests fake it)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import ClassVar, Literal, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts import SHARING_ALPHABET, SHARING_GROUPS, check_account_name, sharing_code_of
from domain.application import RepairTrack, utc_now
from domain.errors import Refusal
from domain.identity_app import AccountInfo, Identity
from repairtrack.services.actors import Actor
from repairtrack.services.sessionstore import SessionStore
from repairtrack.services.throttle import Refused, Throttle

Clock = Callable[[], datetime]

SESSION_COOKIE = "rt_session"
TOKEN_PREFIX = "rt_"  # noqa: S105 (the visible start of every personal token)
SECRET_BYTES = 32  # sessions and personal tokens
CODE_BYTES = 24  # invitation codes: 192 random bits
DEFAULT_HOURS = 72
MAX_HOURS = 30 * 24
MAX_TOKEN_DAYS = 3650
IDLE = timedelta(hours=12)
ABSOLUTE = timedelta(days=30)
TOUCH_EVERY = 60.0  # seconds: a session's last use is written at most this often
MIN_LENGTH = 10
COMMON_COUNT = 10_000

HASHER = PasswordHasher()  # argon2id with argon2-cffi's defaults, the parameters of services.access


class Throttled(Refusal):
    """A sign-in arrived during a check or a wait: no check was made; try again after `retry_after`."""

    transient: ClassVar[bool] = True

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        wait = Refused(retry_after).retry_after_header
        super().__init__("account", "signin.throttled", f"too many sign-in attempts; try again in {wait} s")

    @property
    def retry_after_header(self) -> str:
        return Refused(self.retry_after).retry_after_header


class Invite(NamedTuple):
    """A one-time code, shown once, and the path that redeems it."""

    code: str
    path: str


@dataclass(frozen=True, slots=True)
class TokenInfo:
    token_id: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class SigninInfo:
    at: datetime
    address: str
    success: bool


def hash_secret(secret: str) -> str:
    """What is stored of a session cookie, a token or an invitation code."""
    return hashlib.sha256(secret.encode()).hexdigest()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords: the head of zxcvbn's ranked `passwords` list."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_COUNT])


def check_passphrase_policy(account: str, passphrase: str) -> None:
    """At least 10 characters, not containing the account name, not a common password."""
    if len(passphrase) < MIN_LENGTH:
        raise Refusal(
            "passphrase", "passphrase.too_short", f"a passphrase needs at least {MIN_LENGTH} characters"
        )
    if account and account.casefold() in passphrase.casefold():
        raise Refusal(
            "passphrase", "passphrase.contains_name", "a passphrase may not contain the account name"
        )
    if passphrase.casefold() in common_passwords():
        raise Refusal(
            "passphrase",
            "passphrase.common",
            "this passphrase is one of the most common ones; choose another",
        )


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _actor(info: AccountInfo) -> Actor:
    kind: Literal["partner", "counselor"] = "partner" if info.role == "partner" else "counselor"
    return Actor(kind, account=info.name, name=info.display_name, couple=info.couple, partner=info.partner)


def _check_hours(hours: int) -> None:
    if not 1 <= hours <= MAX_HOURS:
        raise Refusal("hours", "invitation.hours", f"an invitation lasts from 1 to {MAX_HOURS} hours")


class Accounts:
    """The accounts service over the identity application, the couples (for invitations) and the
    session store."""

    def __init__(
        self,
        identity: Identity,
        couples: RepairTrack,
        store: SessionStore,
        *,
        clock: Clock = utc_now,
        throttle: Throttle | None = None,
    ) -> None:
        self.identity = identity
        self.couples = couples
        self.store = store
        self.clock = clock
        self.throttle = throttle or Throttle(store.throttle_store(), clock=lambda: self.clock().timestamp())
        self._dummy_hash: str | None = None

    # ------------------------------------------------------------------------------------------
    # Invitations and joining.
    # ------------------------------------------------------------------------------------------
    def invite_partner(self, couple: str, partner: str, hours: int = DEFAULT_HOURS) -> Invite:
        _check_hours(hours)
        registration = self.couples.describe(couple)
        if registration is None:
            raise Refusal("couple", "couple.unknown", f"no couple {couple!r}")
        names = registration.names
        if partner not in names:
            raise Refusal("partner", "partner.unknown", f"{partner!r} is not a partner of {couple!r}")
        return self._invite(
            hours, role="partner", display_name=names[partner], couple=couple, partner=partner
        )

    def invite_counselor(self, display_name: str, hours: int = DEFAULT_HOURS) -> Invite:
        _check_hours(hours)
        return self._invite(hours, role="counselor", display_name=display_name.strip())

    def _invite(self, hours: int, **what: str) -> Invite:
        code = secrets.token_urlsafe(CODE_BYTES)
        self.identity.invite(hash_secret(code), expires_at=self.clock() + timedelta(hours=hours), **what)
        return Invite(code, f"/join/{code}")

    def join(self, code: str, account: str, passphrase: str, address: str = "") -> str:
        """Redeem an invitation (to join, or a reset's code) choosing the passphrase; returns a new
        session token. Refused, with nothing created, for a used, expired or unknown code, a taken
        account name or a weak passphrase."""
        code_hash = self._check_code(code, account)
        check_passphrase_policy(account, passphrase)
        self.identity.redeem(code_hash, account, passphrase_hash=HASHER.hash(passphrase))
        self.store.add_signin(account, self.clock().timestamp(), address, True)
        return self._new_session(account)

    def bind_external(
        self, code: str, issuer: str, subject: str, *, account: str | None = None, address: str = ""
    ) -> str:
        """Redeem an invitation while signed in with an OpenID Connect provider: the account (named by
        `account`, or the reset code's own) is bound to the provider's issuer and subject; returns a
        session token."""
        invitation = self.identity.invitation(hash_secret(code))
        name = account or (invitation.account if invitation is not None else None) or ""
        code_hash = self._check_code(code, name)
        self.identity.redeem(code_hash, name, external=(issuer, subject))
        self.store.add_signin(name, self.clock().timestamp(), address, True)
        return self._new_session(name)

    def actor_for_external(self, issuer: str, subject: str) -> Actor | None:
        info = self.identity.account_for_external(issuer, subject)
        return None if info is None or info.disabled else _actor(info)

    def signin_external(self, issuer: str, subject: str, address: str = "") -> str | None:
        """A session for the account bound to this external identity (None without one)."""
        actor = self.actor_for_external(issuer, subject)
        if actor is None or actor.account is None:
            return None
        self.store.add_signin(actor.account, self.clock().timestamp(), address, True)
        return self._new_session(actor.account)

    def _check_code(self, code: str, account: str) -> str:
        """The code's hash, after refusing an unknown, used or expired code or a taken name."""
        check_account_name(account)
        code_hash = hash_secret(code)
        invitation = self.identity.invitation(code_hash)
        if invitation is None:
            raise Refusal(
                "code", "invitation.unknown", "this invitation code is not known; check it or ask again"
            )
        if invitation.redeemed_by is not None:
            raise Refusal("code", "invitation.used", "this invitation was already used; ask for a new one")
        if self.clock() >= invitation.expires_at:
            raise Refusal("code", "invitation.expired", "this invitation has expired; ask for a new one")
        if invitation.purpose == "join" and self.identity.account(account) is not None:
            raise Refusal(
                "account", "account.taken", f"the account name {account!r} is taken; choose another"
            )
        if invitation.purpose == "reset" and account != invitation.account:
            raise Refusal("account", "invitation.other_account", "this code resets another account")
        return code_hash

    # ------------------------------------------------------------------------------------------
    # Signing in and out.
    # ------------------------------------------------------------------------------------------
    def signin(self, account: str, passphrase: str, address: str) -> str:
        """A new session token, or `Throttled` (no check made) or a `signin.failed` refusal. At most one
        check at a time per account and per address; after a failure both wait (1 s doubling up to
        15 minutes); a success resets the account's count."""
        account_key, address_key = f"account:{account}", f"address:{address}"
        ticket = self.throttle.acquire([account_key, address_key])
        if isinstance(ticket, Refused):
            raise Throttled(ticket.retry_after)
        accepted = False
        try:
            accepted = self._verify(account, passphrase)
        finally:
            self.throttle.release(ticket, accepted, reset=[account_key])
        if self.identity.account(account) is not None:
            self.store.add_signin(account, self.clock().timestamp(), address, accepted)
        if not accepted:
            raise Refusal("account", "signin.failed", "the account name or the passphrase is not right")
        return self._new_session(account)

    def _verify(self, account: str, passphrase: str) -> bool:
        info = self.identity.account(account)
        stored = self.identity.passphrase_hash(account) if info is not None and not info.disabled else None
        if stored is None:  # the same work as a real check, so timing tells nothing
            if self._dummy_hash is None:
                self._dummy_hash = HASHER.hash(secrets.token_urlsafe(16))
            stored, passphrase = self._dummy_hash, passphrase + "\x00"
            real = False
        else:
            real = True
        try:
            return HASHER.verify(stored, passphrase) and real
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def signout(self, token: str) -> None:
        self.store.end_session(hash_secret(token))

    def _new_session(self, account: str) -> str:
        token = secrets.token_urlsafe(SECRET_BYTES)
        self.store.add_session(hash_secret(token), account, self.clock().timestamp())
        return token

    # ------------------------------------------------------------------------------------------
    # Who is asking.
    # ------------------------------------------------------------------------------------------
    def actor_for_session(self, token: str | None, now: datetime | None = None) -> Actor | None:
        """The signed-in account of a session cookie, or None (unknown, ended, idle for 12 hours,
        older than 30 days, or its account disabled). Touches its last use."""
        if not token:
            return None
        session_hash = hash_secret(token)
        row = self.store.session(session_hash)
        if row is None:
            return None
        moment = (now or self.clock()).timestamp()
        if (
            moment - row.created_at >= ABSOLUTE.total_seconds()
            or moment - row.last_used_at >= IDLE.total_seconds()
        ):
            self.store.end_session(session_hash)
            return None
        info = self.identity.account(row.account)
        if info is None or info.disabled:
            return None
        if moment - row.last_used_at >= TOUCH_EVERY:
            self.store.touch_session(session_hash, moment)
        return _actor(info)

    def actor_for_token(self, token: str | None) -> Actor | None:
        """The account of a personal token (`Authorization: Bearer rt_...`), or None."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        token_hash = hash_secret(token)
        row = self.store.token(token_hash)
        if row is None:
            return None
        moment = self.clock().timestamp()
        if row.expires_at is not None and moment >= row.expires_at:
            return None
        info = self.identity.account(row.account)
        if info is None or info.disabled:
            return None
        if row.last_used_at is None or moment - row.last_used_at >= TOUCH_EVERY:
            self.store.touch_token(token_hash, moment)
        return _actor(info)

    # ------------------------------------------------------------------------------------------
    # Keeping accounts (the operator's commands).
    # ------------------------------------------------------------------------------------------
    def list_accounts(self) -> list[AccountInfo]:
        return self.identity.accounts()

    def has_accounts(self) -> bool:
        return self.identity.has_accounts()

    def account(self, name: str) -> AccountInfo | None:
        return self.identity.account(name)

    def disable(self, name: str) -> AccountInfo:
        """Disable an account; its sessions, tokens and calendar feed end at once."""
        info = self.identity.disable(name)
        self.store.end_account(name)
        return info

    def enable(self, name: str) -> AccountInfo:
        return self.identity.enable(name)

    def reset(self, name: str, hours: int = DEFAULT_HOURS) -> Invite:
        """A new one-time code to choose a new passphrase; the old passphrase, the account's sessions
        and its tokens end at once."""
        _check_hours(hours)
        code = secrets.token_urlsafe(CODE_BYTES)
        self.identity.invite_reset(hash_secret(code), name, expires_at=self.clock() + timedelta(hours=hours))
        self.store.end_account(name)
        return Invite(code, f"/join/{code}")

    # ------------------------------------------------------------------------------------------
    # A counselor's sharing code: what a couple types (or is shown) to give them access.
    # ------------------------------------------------------------------------------------------
    def sharing_code(self, name: str) -> str | None:
        """The counselor's current sharing code (None until they make one)."""
        return self.identity.sharing_code(name)

    def new_sharing_code(self, name: str) -> str:
        """A new sharing code for a counselor (random, unlike any other counselor's); the one before
        stops naming them at once. Access already given stays as it is."""
        while True:
            code = "-".join(
                "".join(secrets.choice(SHARING_ALPHABET) for _ in range(size)) for size in SHARING_GROUPS
            )
            if self.identity.account_for_sharing_code(code) is None:
                break
        self.identity.set_sharing_code(name, code)
        return code

    def counselor_for_code(self, text: str) -> AccountInfo | None:
        """The counselor whose current sharing code `text` is (typed in any case, with or without the
        dash), or None."""
        code = sharing_code_of(text)
        return None if code is None else self.identity.account_for_sharing_code(code)

    def create_token(self, name: str, days: int | None = None, label: str = "") -> str:
        """A new personal token, returned once (only its hash is kept)."""
        info = self.identity.account(name)
        if info is None:
            raise Refusal("account", "account.unknown", f"there is no account {name!r}")
        if info.disabled:
            raise Refusal("account", "account.already_disabled", f"the account {name!r} is disabled")
        if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
            raise Refusal("days", "token.days", f"a token lasts from 1 to {MAX_TOKEN_DAYS} days")
        now = self.clock()
        token = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
        expires = None if days is None else (now + timedelta(days=days)).timestamp()
        self.store.add_token(secrets.token_hex(8), hash_secret(token), name, label, now.timestamp(), expires)
        return token

    # ------------------------------------------------------------------------------------------
    # The calendar feed (SPEC section 11).
    # ------------------------------------------------------------------------------------------
    def calendar_token(self, name: str, details: bool = False) -> str:
        """A new calendar feed for a partner's account, returned once (only its hash is kept): its path
        is `/calendar/<token>.ics`; the feed it replaces ends now. `details` puts names and descriptions
        in the feed (calendar services copy feeds to third parties, so it is off by default)."""
        info = self.identity.account(name)
        if info is None:
            raise Refusal("account", "account.unknown", f"there is no account {name!r}")
        if info.disabled:
            raise Refusal("account", "account.already_disabled", f"the account {name!r} is disabled")
        if info.role != "partner":
            raise Refusal(
                "account", "calendar.partners_only", "a calendar feed is for a partner's own promises"
            )
        token = secrets.token_urlsafe(SECRET_BYTES)
        self.identity.set_calendar_feed(name, hash_secret(token), details=bool(details))
        return token

    def end_calendar(self, name: str) -> bool:
        """End the account's calendar feed; False when it had none."""
        if self.identity.account(name) is None:
            raise Refusal("account", "account.unknown", f"there is no account {name!r}")
        if self.identity.calendar_feed(name) is None:
            return False
        self.identity.end_calendar_feed(name)
        return True

    def calendar_details(self, name: str) -> bool | None:
        """Whether the account's feed holds details (None: it has no feed)."""
        found = self.identity.calendar_feed(name)
        return None if found is None else found[1]

    def account_for_calendar(self, token: str | None) -> AccountInfo | None:
        """The enabled partner account whose current feed this token opens, or None (unknown, replaced
        or ended token, or a disabled account)."""
        if not token or len(token) > 200:
            return None
        info = self.identity.account_for_calendar(hash_secret(token))
        if info is None or info.disabled or info.role != "partner":
            return None
        return info

    def list_tokens(self, name: str) -> list[TokenInfo]:
        return [
            TokenInfo(
                row.token_id,
                row.label,
                _moment(row.created_at) or self.clock(),
                _moment(row.expires_at),
                _moment(row.last_used_at),
            )
            for row in self.store.tokens(name)
        ]

    def revoke_token(self, name: str, token_id: str) -> None:
        if not self.store.revoke_token(name, token_id):
            raise Refusal("token", "token.unknown", f"the account {name!r} has no token {token_id!r}")

    def recent_signins(self, name: str, limit: int = 20) -> list[SigninInfo]:
        """The account's latest sign-ins, newest first."""
        return [
            SigninInfo(_moment(row.at) or self.clock(), row.address, row.success)
            for row in self.store.signins(name, limit)
        ]

    def close(self) -> None:
        self.store.close()
