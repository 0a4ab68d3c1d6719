"""The counselor's side of the service layer (SPEC sections 8 and 10): the caseload, who may read the
couple (grants, revocations, the access log) and the dates of sessions. Part of
`repairtrack.services.couples.Couples`, which inherits it; the rules are applied here once."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from domain.errors import Refusal
from domain.limits import DEFAULT_WINDOW_DAYS
from projections.caseload import caseload
from projections.caseload_trends import TREND_WEEKS, caseload_trends
from projections.readmodel import View
from repairtrack.services import permissions as rules
from repairtrack.services.actors import Actor
from repairtrack.services.couples_base import CouplesBase, check_moment, check_window, iso, who


class Counseling(CouplesBase):
    """Caseload, grants, access log and session dates."""

    def caseload(
        self,
        actor: Actor,
        as_of: datetime | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
        *,
        view: View | None = None,
    ) -> list[dict[str, Any]]:
        """The counselor's caseload of SPEC section 10: one row per couple that grants the counselor access
        now. Counselors only; it opens no couple, so it logs no "overview" opening."""
        counselor, moment = self._caseload_of(actor, as_of)
        check_window(window_days)
        handles = self.services.access.couples_granting(counselor)
        with self._view(view) as opened:
            return caseload(opened, handles, moment, window_days)

    def caseload_trends(
        self,
        actor: Actor,
        as_of: datetime | None = None,
        weeks: int = TREND_WEEKS,
        *,
        view: View | None = None,
    ) -> dict[str, dict[str, Any]]:
        """The weekly trends of every couple of the caseload, for its sparklines
        (`projections.caseload_trends`): counselors only; like the caseload, it opens no couple."""
        counselor, moment = self._caseload_of(actor, as_of)
        if not 1 <= weeks <= 52:
            raise Refusal("weeks", "field.out_of_range", f"{weeks}; ask for 1 to 52 weeks")
        handles = self.services.access.couples_granting(counselor)
        with self._view(view) as opened:
            return caseload_trends(opened, handles, moment, weeks)

    def _caseload_of(self, actor: Actor, as_of: datetime | None) -> tuple[str, datetime]:
        """The counselor's account and the checked moment of a caseload (refused to anyone else)."""
        if actor.kind != "counselor" or actor.account is None:
            raise rules.NotAllowed("caseload", "access.counselors_only", "only a counselor has a caseload")
        moment = as_of or self._now()
        check_moment(moment, "as_of")
        return actor.account, moment

    def grant(self, actor: Actor, couple: str, counselor: str, notes: bool) -> dict[str, Any]:
        """A partner grants a counselor access (or changes whether it includes notes), naming the counselor
        by account name or by the sharing code the counselor shows."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        counselor_account = self._counselor_named(counselor)
        account = self._account(counselor_account)
        problem = rules.counselor_problem(
            counselor_account, None if account is None else account.role, exists=account is not None
        )
        if problem is not None:
            raise rules.NotAllowed(problem.field, problem.code, problem.detail)
        granted = self.services.access.grant(couple, counselor_account, notes=bool(notes), by=who(actor))
        return self._grant_row(granted)

    def revoke(self, actor: Actor, couple: str, counselor_account: str) -> bool:
        """A partner ends a counselor's access (from the counselor's next request on); False when the
        counselor had none."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        return self.services.access.revoke(couple, counselor_account, by=who(actor))

    def grants(self, actor: Actor, couple: str) -> list[dict[str, Any]]:
        """The couple's current grants, newest first:
        `[{"counselor", "name", "notes", "granted_by", "granted_at"}]`."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        return [self._grant_row(g) for g in self.services.access.grants(couple)]

    def grant_history(self, actor: Actor, couple: str) -> list[dict[str, Any]]:
        """Every grant and revocation of the couple, newest first (for its timeline):
        `[{"what", "counselor", "name", "by", "at", "notes"}]`."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        return [
            {**asdict(change), "name": self._display_name(change.counselor), "at": iso(change.at)}
            for change in self.services.access.history(couple)
        ]

    def access_log(self, actor: Actor, couple: str) -> list[dict[str, Any]]:
        """When which counselor opened what of the couple, newest first: `[{"at", "counselor", "name",
        "kind"}]`."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        return [
            {
                "at": iso(o.at),
                "counselor": o.counselor,
                "name": self._display_name(o.counselor),
                "kind": o.kind,
            }
            for o in self.services.access.access_log(couple)
        ]

    def record_session_date(self, actor: Actor, couple: str, day: date) -> bool:
        """A counselor records the day of a session with the couple; False when recorded already."""
        self._see(actor, couple)
        rules.check_counselor(actor)
        assert actor.account is not None
        return self.services.access.date_session(couple, actor.account, day)

    def session_dates(self, actor: Actor, couple: str) -> list[date]:
        """The session days with the couple, latest first: a counselor's own; for the partners (who may
        read them too) every counselor's, each day once."""
        self._see(actor, couple)
        if actor.kind == "counselor":
            assert actor.account is not None
            return self.services.access.session_days(couple, actor.account)
        return sorted({date.fromisoformat(s["day"]) for s in self.sessions(actor, couple)}, reverse=True)

    def sessions(self, actor: Actor, couple: str) -> list[dict[str, Any]]:
        """Every counselor's session days with the couple, latest first (partners only: what the couple
        sees of who reads their data): `[{"day", "counselor", "name"}]`, `day` an ISO date."""
        self._see(actor, couple)
        rules.check_partner_side(actor)
        counselors = {change.counselor for change in self.services.access.history(couple)}
        found = [
            {"day": day.isoformat(), "counselor": c, "name": self._display_name(c)}
            for c in sorted(counselors)
            for day in self.services.access.session_days(couple, c)
        ]
        return sorted(found, key=lambda s: (s["day"], s["counselor"]), reverse=True)
