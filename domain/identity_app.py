"""`Identity`: the only write API of the `Account` and `Invitation` aggregates, in the same event store as
`RepairTrack` (same settings; on PostgreSQL the same table, as its environment is named "RepairTrack").
It speaks plain values (`AccountInfo`, `InvitationInfo`) and takes hashes only: the passphrase's argon2id
hash and the invitation code's SHA-256 are made by the accounts service (`repairtrack.services.identity`).

It decides nothing about who may ask; the service layer does. Accounts are few, so listing them reads the
account events of the notification log by topic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.accounts import Account, Invitation, check_account_name
from domain.app_base import StoreApplication
from domain.errors import Refusal

_CREATED = get_topic(Account.Created)
_BOUND = get_topic(Account.ExternalIdentityBound)
_FEED_SET = get_topic(Account.CalendarFeedSet)
_SHARING_SET = get_topic(Account.SharingCodeSet)
PAGE = 1000


@dataclass(frozen=True, slots=True)
class AccountInfo:
    name: str
    display_name: str
    role: str
    couple: str | None
    partner: str | None
    disabled: bool
    has_passphrase: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class InvitationInfo:
    role: str
    couple: str | None
    partner: str | None
    display_name: str
    expires_at: datetime
    purpose: str
    account: str | None
    redeemed_by: str | None


Info = TypeVar("Info", AccountInfo, InvitationInfo)


def _plain(kind: type[Info], aggregate: Any, **derived: Any) -> Info:
    """The plain value `kind` of an aggregate: each field its attribute of the same name, unless given."""
    values: dict[str, Any] = {
        f.name: getattr(aggregate, f.name) for f in fields(kind) if f.name not in derived
    }
    return kind(**values, **derived)


def account_info(account: Account) -> AccountInfo:
    return _plain(
        AccountInfo,
        account,
        has_passphrase=account.passphrase_hash is not None,
        created_at=account.created_on,
    )


def invitation_info(invitation: Invitation) -> InvitationInfo:
    return _plain(InvitationInfo, invitation)


class Identity(StoreApplication):
    name = "Identity"  # its environment (and so its tables) are still those of RepairTrack: `store_name`

    # ------------------------------------------------------------------------------------------
    # Invitations.
    # ------------------------------------------------------------------------------------------
    def invite(
        self,
        code_hash: str,
        *,
        role: str,
        display_name: str,
        expires_at: datetime,
        couple: str | None = None,
        partner: str | None = None,
    ) -> InvitationInfo:
        """A one-time invitation to join as a new account."""
        if role == "partner":
            taken = self.account_of_partner(couple or "", partner or "")
            if taken is not None:
                raise Refusal("partner", "account.partner_taken", f"{partner!r} already has an account")
        invitation = Invitation.make(
            code_hash,
            role=role,
            display_name=display_name,
            expires_at=expires_at,
            at=self.clock(),
            couple=couple,
            partner=partner,
            ids=self.ids,
        )
        self.save(invitation)
        return invitation_info(invitation)

    def invite_reset(self, code_hash: str, name: str, *, expires_at: datetime) -> InvitationInfo:
        """A one-time code to choose a new passphrase; the old one stops working now."""
        account = self._account_or_refuse(name)
        at = self.clock()
        invitation = Invitation.make(
            code_hash,
            role=account.role,
            display_name=account.display_name,
            expires_at=expires_at,
            at=at,
            couple=account.couple,
            partner=account.partner,
            purpose="reset",
            account=name,
            ids=self.ids,
        )
        if account.passphrase_hash is not None:
            account.set_passphrase(None, at=at)
        self.save(invitation, account)
        return invitation_info(invitation)

    def invitation(self, code_hash: str) -> InvitationInfo | None:
        found = self._aggregate(Invitation.create_id(code_hash, self.ids))
        return invitation_info(found) if isinstance(found, Invitation) else None

    def redeem(
        self,
        code_hash: str,
        name: str,
        *,
        passphrase_hash: str | None = None,
        external: tuple[str, str] | None = None,
    ) -> AccountInfo:
        """Redeem an invitation: create the account (to join) or set its passphrase (a reset), and bind
        an external identity when given. All of it is stored at once, or nothing (a used, expired or
        unknown code, a taken name)."""
        check_account_name(name)
        at = self.clock()
        invitation = self._aggregate(Invitation.create_id(code_hash, self.ids))
        if not isinstance(invitation, Invitation):
            raise Refusal(
                "code", "invitation.unknown", "this invitation code is not known; check it or ask again"
            )
        invitation.check_redeemable(name, at=at)
        if external is not None and self.account_for_external(*external) is not None:
            raise Refusal(
                "subject", "external.taken", "this external identity is already bound to an account"
            )
        if invitation.purpose == "join":
            if self._aggregate(Account.create_id(name, self.ids)) is not None:
                raise Refusal(
                    "account", "account.taken", f"the account name {name!r} is taken; choose another"
                )
            couple, partner = invitation.couple or "", invitation.partner or ""
            if invitation.role == "partner" and self.account_of_partner(couple, partner) is not None:
                raise Refusal("partner", "account.partner_taken", "this partner already has an account")
            account = Account.create(
                name,
                display_name=invitation.display_name,
                role=invitation.role,
                couple=invitation.couple,
                partner=invitation.partner,
                at=at,
                ids=self.ids,
            )
        else:
            account = self._account_or_refuse(name)
        if passphrase_hash is not None:
            account.set_passphrase(passphrase_hash, at=at)
        if external is not None:
            account.bind_external(*external, at=at)
        invitation.redeem(name, at=at)
        try:
            self.save(account, invitation)
        except IntegrityError:  # another request redeemed the code or took the name meanwhile
            raise Refusal(
                "code", "invitation.used", "this invitation was just used; ask for a new one"
            ) from None
        return account_info(account)

    # ------------------------------------------------------------------------------------------
    # Accounts.
    # ------------------------------------------------------------------------------------------
    def set_passphrase(self, name: str, passphrase_hash: str) -> None:
        account = self._account_or_refuse(name)
        account.set_passphrase(passphrase_hash, at=self.clock())
        self.save(account)

    def disable(self, name: str) -> AccountInfo:
        """Disable an account; its calendar feed ends with it (both stored at once)."""
        account = self._account_or_refuse(name)
        at = self.clock()
        account.disable(at=at)
        if account.calendar_feed is not None:
            account.end_calendar_feed(at=at)
        self.save(account)
        return account_info(account)

    def enable(self, name: str) -> AccountInfo:
        account = self._account_or_refuse(name)
        account.enable(at=self.clock())
        self.save(account)
        return account_info(account)

    def set_calendar_feed(self, name: str, token_hash: str, *, details: bool) -> None:
        account = self._account_or_refuse(name)
        account.set_calendar_feed(token_hash, details=details, at=self.clock())
        self.save(account)

    def end_calendar_feed(self, name: str) -> None:
        account = self._account_or_refuse(name)
        account.end_calendar_feed(at=self.clock())
        self.save(account)

    def set_sharing_code(self, name: str, code: str) -> None:
        account = self._account_or_refuse(name)
        account.set_sharing_code(code, at=self.clock())
        self.save(account)

    # ------------------------------------------------------------------------------------------
    # Reading (plain values).
    # ------------------------------------------------------------------------------------------
    def sharing_code(self, name: str) -> str | None:
        """A counselor's current sharing code (None until one is made)."""
        found = self._aggregate(Account.create_id(name, self.ids))
        return found.sharing_code if isinstance(found, Account) else None

    def account_for_sharing_code(self, code: str) -> AccountInfo | None:
        """The counselor whose current sharing code this is (None for a replaced code, or one never
        made). Counselors are few: it reads the code events by topic."""
        for notification in self._notifications([_SHARING_SET], PAGE):
            if self.mapper.to_domain_event(notification).__dict__.get("code") != code:
                continue
            account = self._aggregate(notification.originator_id)
            if isinstance(account, Account) and account.sharing_code == code:
                return account_info(account)
        return None

    def account(self, name: str) -> AccountInfo | None:
        found = self._aggregate(Account.create_id(name, self.ids))
        return account_info(found) if isinstance(found, Account) else None

    def passphrase_hash(self, name: str) -> str | None:
        """The stored argon2id hash (None without an account or a passphrase), for the sign-in check."""
        found = self._aggregate(Account.create_id(name, self.ids))
        return found.passphrase_hash if isinstance(found, Account) else None

    def calendar_feed(self, name: str) -> tuple[str, bool] | None:
        found = self._aggregate(Account.create_id(name, self.ids))
        if not isinstance(found, Account) or found.calendar_feed is None:
            return None
        return str(found.calendar_feed["token_hash"]), bool(found.calendar_feed["details"])

    def account_for_calendar(self, token_hash: str) -> AccountInfo | None:
        """The account whose current calendar feed has this token hash (None for a replaced or ended
        feed, or one never made). Accounts are few: it reads the feed events by topic."""
        seen: set[UUID] = set()
        for notification in self._notifications([_FEED_SET], PAGE):
            if notification.originator_id in seen:
                continue
            seen.add(notification.originator_id)
            account = self._aggregate(notification.originator_id)
            if (
                isinstance(account, Account)
                and account.calendar_feed is not None
                and account.calendar_feed["token_hash"] == token_hash
            ):
                return account_info(account)
        return None

    def has_accounts(self) -> bool:
        """Whether the store is in accounts mode (SPEC section 8): one account was ever created."""
        return bool(self.recorder.select_notifications(None, 1, topics=[_CREATED]))

    def accounts(self) -> list[AccountInfo]:
        """Every account, in the order they were created."""
        states = self._states(_CREATED)
        found = (self._aggregate(Account.create_id(str(state["name"]), self.ids)) for state in states)
        return [account_info(a) for a in found if isinstance(a, Account)]

    def account_of_partner(self, couple: str, partner: str) -> AccountInfo | None:
        for state in self._states(_CREATED):
            if state.get("couple") == couple and state.get("partner") == partner:
                return self.account(str(state["name"]))
        return None

    def account_for_external(self, issuer: str, subject: str) -> AccountInfo | None:
        for notification in self._notifications([_BOUND], PAGE):
            account = self._aggregate(notification.originator_id)
            if isinstance(account, Account) and (issuer, subject) in account.external:
                return account_info(account)
        return None

    # ------------------------------------------------------------------------------------------
    def _states(self, topic: str) -> Iterator[dict[str, Any]]:
        for notification in self._notifications([topic], PAGE):
            event = self.mapper.to_domain_event(notification)
            yield event.__dict__

    def _account_or_refuse(self, name: str) -> Account:
        found = self._aggregate(Account.create_id(name, self.ids))
        if not isinstance(found, Account):
            raise Refusal("account", "account.unknown", f"there is no account {name!r}")
        return found
