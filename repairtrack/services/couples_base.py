"""What every part of the service layer (`repairtrack.services.couples.Couples`) shares: the services, the
one refusal for a couple the caller may not see, whether a counselor's grant includes notes, the access
log's openings, account names, the clock and the read model, and the checks of moments and windows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from domain.errors import Refusal
from domain.interface import Registration
from domain.limits import moment_problem, window_problem
from projections.readmodel import View
from repairtrack.bootstrap import Services
from repairtrack.services import permissions as rules
from repairtrack.services.actors import Actor


class AccountLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str: ...


class Directory(Protocol):
    def account(self, name: str) -> AccountLike | None: ...


class CodeBook(Protocol):
    def counselor_for_code(self, text: str) -> AccountLike | None: ...


class CouplesBase:
    """The services and the helpers every method of `Couples` uses."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def _see(self, actor: Actor, couple: str) -> Registration:
        """The couple's registration, or the one refusal for unknown and not visible alike."""
        registration = self.services.app.describe(couple) if plausible(couple) else None
        granted = False
        if registration is not None and actor.kind == "counselor" and actor.account is not None:
            granted = self.services.access.grant_of(couple, actor.account) is not None
        rules.check_visible(actor, couple, exists=registration is not None, granted=granted)
        assert registration is not None
        return registration

    def _notes_granted(self, actor: Actor, couple: str) -> bool:
        if actor.kind != "counselor" or actor.account is None:
            return False
        grant = self.services.access.grant_of(couple, actor.account)
        return grant is not None and grant.notes

    def _opened(self, actor: Actor, couple: str, kind: str) -> None:
        if actor.kind == "counselor" and actor.account is not None:
            self.services.access.open(couple, actor.account, kind)

    def _account(self, name: str) -> AccountLike | None:
        directory: Directory | None = getattr(self.services, "identity", None)
        if directory is None or not isinstance(name, str):
            return None
        return directory.account(name)

    def _counselor_named(self, text: str) -> str:
        """The account a partner means when naming a counselor: the counselor whose sharing code the text
        is, else the account of that name (checked by the rules after)."""
        codes: CodeBook | None = getattr(self.services, "accounts", None)
        by_code = codes.counselor_for_code(text) if codes is not None and isinstance(text, str) else None
        return by_code.name if by_code is not None else text

    def _display_name(self, account: str) -> str:
        found = self._account(account)
        return found.display_name if found is not None else account

    def _grant_row(self, grant: Any) -> dict[str, Any]:
        return {
            "counselor": grant.counselor,
            "name": self._display_name(grant.counselor),
            "notes": grant.notes,
            "granted_by": grant.by,
            "granted_at": iso(grant.at),
        }

    def _now(self) -> datetime:
        return self.services.app.clock()

    @contextmanager
    def _view(self, view: View | None) -> Iterator[View]:
        if view is not None:
            yield view
            return
        with self.services.read_model.open() as opened:
            yield opened


# ----------------------------------------------------------------------------------------------
def plausible(couple: object) -> bool:
    return isinstance(couple, str) and 0 < len(couple) <= 40


def check_window(days: int) -> None:
    if (problem := window_problem(days, "window_days")) is not None:
        raise Refusal(problem.field, problem.code, problem.detail)


def check_moment(moment: datetime, field: str) -> None:
    if moment.tzinfo is None:
        raise Refusal(field, "time.no_offset", "a time must carry an offset (+01:00 or Z)")
    if (problem := moment_problem(moment, field)) is not None:
        raise Refusal(problem.field, problem.code, problem.detail)


def who(actor: Actor) -> str:
    """Who a grant or revocation is recorded as made by."""
    return actor.partner or actor.account or actor.kind


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
