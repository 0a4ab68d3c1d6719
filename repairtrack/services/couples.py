"""THE service layer of SPEC section 8 "who may do what": every read and write of a couple by the dashboard
pages, the HTTP API and the export is a function here that takes the `Actor` first and applies the rules
once (`repairtrack.services.permissions`). Each returns plain values in the shapes of SPEC section 9.

- Unknown couple and a couple the caller may not see raise the same `permissions.NotVisible` (404).
- Doing what the caller may not do on a couple they see raises `permissions.NotAllowed` (403).
- Entries the rules refuse raise `domain.errors.BatchRefused`, every problem by line (422), nothing stored.
- Every time a counselor opens a couple (overview, entries, report, bundle) the access log records it
  (coalesced to one record per counselor, couple and kind in 10 minutes: `domain.access`).

The counselor's side (caseload, grants, access log, session dates) is `repairtrack.services.counseling`,
the helpers every part shares are `repairtrack.services.couples_base`; `Couples` holds them all.

Counselor accounts are looked up through `services.identity.account(name)`; a store without that service
(or without accounts) has no counselors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.errors import BatchRefused, LineProblem, Refusal
from domain.interface import Registration
from domain.limits import DEFAULT_WINDOW_DAYS
from domain.retraction import gone_ids
from projections.filters import EVERY_ENTRY, TimelineFilter
from projections.readmodel import View
from repairtrack.bootstrap import Services
from repairtrack.services import permissions as rules
from repairtrack.services import rhythm
from repairtrack.services.actors import Actor
from repairtrack.services.counseling import Counseling
from repairtrack.services.couples_base import check_moment, check_window
from repairtrack.services.export import Bundle, ExportOptions, build_bundle


class Couples(Counseling):
    """The service layer over one set of built `Services`."""

    # ------------------------------------------------------------------------------------------
    # Seeing.
    # ------------------------------------------------------------------------------------------
    def couples(self, actor: Actor, *, view: View | None = None) -> list[dict[str, Any]]:
        """`[{"couple", "partners": [{"handle", "name"}], "timezone"}]`: the couples the actor may see."""
        if actor.kind == "partner":
            handles = [actor.couple] if actor.couple else []
        elif actor.kind == "counselor":
            handles = self.services.access.couples_granting(actor.account) if actor.account else []
        else:
            with self._view(view) as opened:
                return [_couple_row(c["handle"], c["timezone"], c["partners"]) for c in opened.couples()]
        found = [self.services.app.describe(h) for h in handles]
        return [_registration_row(r) for r in found if r is not None]

    def metrics(
        self,
        actor: Actor,
        couple: str,
        as_of: datetime | None = None,
        window_days: int = DEFAULT_WINDOW_DAYS,
        *,
        view: View | None = None,
    ) -> dict[str, Any]:
        """The metrics object of SPEC section 4 (a counselor's call is an "overview" opening)."""
        self._see(actor, couple)
        moment = as_of or self._now()
        check_moment(moment, "as_of")
        check_window(window_days)
        self._opened(actor, couple, "overview")
        with self._view(view) as opened:
            return opened.metrics(couple, as_of=moment, window_days=window_days)

    def entries(
        self, actor: Actor, couple: str, limit: int | None = None, before: str | None = None
    ) -> list[dict[str, Any]]:
        """The couple's entries newest first (by `occurred_at`, then recording order), each in the format
        of SPEC section 3 with times in the couple's offset plus `"retracted": bool`; a note the caller may
        not read is absent, with `private` absent too. `before` continues after the entry with that id."""
        registration = self._see(actor, couple)
        if limit is not None and limit < 1:
            raise Refusal("limit", "field.out_of_range", f"{limit}; ask for at least 1 entry")
        notes = self._notes_granted(actor, couple)
        self._opened(actor, couple, "entries")
        recorded = self.services.app.entries(registration.handle)
        gone = gone_ids(recorded)
        order = sorted(
            range(len(recorded)),
            key=lambda i: (datetime.fromisoformat(str(recorded[i]["occurred_at"])), i),
            reverse=True,
        )
        newest = [recorded[i] for i in order]
        if before is not None:
            ids = [str(e["id"]) for e in newest]
            if before not in ids:
                raise Refusal("before", "ref.unknown", "continue from an entry of this couple")
            newest = newest[ids.index(before) + 1 :]
        if limit is not None:
            newest = newest[:limit]
        return [
            {**rules.shown_entry(actor, e, notes_granted=notes), "retracted": str(e["id"]) in gone}
            for e in newest
        ]

    def household(self, actor: Actor, couple: str) -> dict[str, Any]:
        """`{"couple", "partners": [{"handle", "name"}], "timezone"}` of one couple the actor may see."""
        return _registration_row(self._see(actor, couple))

    def timeline(
        self, actor: Actor, couple: str, only: TimelineFilter = EVERY_ENTRY, *, view: View | None = None
    ) -> list[dict[str, Any]]:
        """The couple's timeline rows as the pages present them (`projections.readmodel.View.timeline`),
        newest first, `only` those the filter keeps, each note as the actor may read it (a counselor's call
        is an "entries" opening)."""
        registration = self._see(actor, couple)
        if only.partner is not None:
            _check_partner(registration, only.partner)
        notes = self._notes_granted(actor, couple)
        self._opened(actor, couple, "entries")
        with self._view(view) as opened:
            rows = opened.timeline(couple, only, viewer=_viewer(actor))
        return [_shown_row(actor, row, notes) for row in rows]

    def waiting(
        self, actor: Actor, couple: str, partner: str | None = None, *, view: View | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """What waits on `partner` (by default the actor's own partner), as the pages present it
        (`View.waiting`): `{"attempts", "promises", "conflicts"}`, notes as the actor may read them."""
        registration = self._see(actor, couple)
        rules.check_writer(actor)
        whom = partner if partner is not None else actor.partner
        if whom is None:
            raise Refusal("partner", "field.missing", "say which partner is using the app first")
        _check_partner(registration, whom)
        with self._view(view) as opened:
            found = opened.waiting(couple, whom, viewer=_viewer(actor))
        return {kind: [_shown_row(actor, row, False) for row in rows] for kind, rows in found.items()}

    def kept_early(
        self, actor: Actor, couple: str, as_of: datetime | None = None, *, view: View | None = None
    ) -> list[dict[str, Any]]:
        """The promises kept before their current due time (`View.kept_early`): SPEC section 4 counts
        them from their due time on, so the pages say when. Each row is the promise with `due_at` (its
        current due time) and `kept_at`; notes as the actor may read them."""
        self._see(actor, couple)
        moment = as_of or self._now()
        check_moment(moment, "as_of")
        notes = self._notes_granted(actor, couple)
        with self._view(view) as opened:
            rows = opened.kept_early(couple, as_of=moment, viewer=_viewer(actor))
        return [_shown_row(actor, row, notes) for row in rows]

    def register(self, actor: Actor, entry: Mapping[str, Any], *, source: str = "dashboard") -> str:
        """Register a new couple (a `couple_registered` entry): whoever holds the store or sits at the
        open screen; a signed-in account records only for their own couple."""
        if actor.bound:
            raise rules.NotAllowed(
                "couple", "access.other_couple", "a new couple is registered by whoever keeps the store"
            )
        return self.services.app.record(entry, source=source)

    def opened(self, actor: Actor, couple: str, kind: str) -> None:
        """A page shows the couple (e.g. its report): refuse what the actor may not see, and record a
        counselor's opening in the access log."""
        self._see(actor, couple)
        self._opened(actor, couple, kind)

    # The check-in rhythm and what is due (SPEC section 11): `repairtrack.services.rhythm`, partners only.
    def set_rhythm(self, actor: Actor, couple: str, weekday: int, time: str) -> dict[str, Any]:
        """Choose or change the weekly check-in (weekday 0 Monday..6, local "HH:MM"): `rhythm.rhythm_row`."""
        return rhythm.set_rhythm(self.services, actor, self._see(actor, couple), weekday, time, self._now())

    def clear_rhythm(self, actor: Actor, couple: str) -> bool:
        return rhythm.clear_rhythm(self.services, actor, self._see(actor, couple))

    def rhythm(self, actor: Actor, couple: str, now: datetime | None = None) -> dict[str, Any] | None:
        """`{"weekday", "day", "time", "timezone", "by", "at", "next_at"}`, or None until they choose."""
        return rhythm.rhythm(self.services, actor, self._see(actor, couple), now or self._now())

    def rhythm_history(self, actor: Actor, couple: str) -> list[dict[str, Any]]:
        """Every choice and clearing of the check-in, newest first, for the timeline."""
        return rhythm.rhythm_history(self.services, actor, self._see(actor, couple))

    def due_soon(
        self, actor: Actor, couple: str, now: datetime, *, view: View | None = None
    ) -> dict[str, Any]:
        """For the actor's partner: open promises by and to them due in (now, now + 7 days], the answers
        waiting on them, and whether this week's check-in by them is open (`rhythm.due_soon`)."""
        registration = self._see(actor, couple)
        with self._view(view) as opened:
            return rhythm.due_soon(self.services, actor, registration, now, opened)

    # ------------------------------------------------------------------------------------------
    # Writing entries.
    # ------------------------------------------------------------------------------------------
    def record(
        self,
        actor: Actor,
        couple: str | None,
        raw_entries: Sequence[Mapping[str, Any] | Any],
        *,
        lines: Sequence[int] | None = None,
        source: str = "api",
    ) -> list[str]:
        """Record entries for one couple, all or nothing; return their ids. A partner may leave out
        `couple` (theirs) and `logged_by` (themselves). Raises `BatchRefused` with every problem by line
        (the access rules first; SPEC section 3's rules are the domain's)."""
        rules.check_writer(actor)
        handle = couple if couple is not None else actor.couple
        if handle is None:
            raise Refusal("couple", "field.missing", "name the couple to record for")
        self._see(actor, handle)
        numbers = list(lines) if lines is not None else list(range(1, len(raw_entries) + 1))
        filled = [
            rules.fill_in(actor, raw, handle) if isinstance(raw, Mapping) else raw for raw in raw_entries
        ]
        if actor.kind == "partner":
            known = {
                str(e["id"]): rules.known_of(e) for e in self.services.app.entries(handle, local_times=False)
            }
            problems: list[LineProblem] = []
            for line, entry in zip(numbers, filled, strict=True):
                if not isinstance(entry, Mapping):
                    continue
                problems.extend(
                    LineProblem(line, p) for p in rules.entry_problems(actor, entry, handle, known)
                )
                if isinstance(entry.get("id"), str) and entry["id"] not in known:
                    known[entry["id"]] = rules.known_of(entry)
            if problems:
                raise BatchRefused(problems)
        return self.services.app.record_batch(filled, lines=numbers, source=source)

    # ------------------------------------------------------------------------------------------
    # The bundle.
    # ------------------------------------------------------------------------------------------
    def export(
        self, actor: Actor, couple: str, options: ExportOptions, *, now: datetime | None = None
    ) -> Bundle:
        """The bundle of SPEC section 6 within what the caller may read: a counselor gets notes only when
        the grant includes them; private notes are never exported."""
        self._see(actor, couple)
        notes = rules.export_notes(
            actor, options.include_notes, notes_granted=self._notes_granted(actor, couple)
        )
        self._opened(actor, couple, "bundle")
        chosen = replace(options, couple=couple, include_notes=notes)
        return build_bundle(self.services, chosen, now=now or self._now())

    def other_partner(self, actor: Actor, couple: str) -> dict[str, Any]:
        """The signed-in partner's other half: `{"handle", "name", "account"}` (`account` is their
        account's name, or None while they have none)."""
        registration = self._see(actor, couple)
        if actor.kind != "partner":
            raise rules.NotAllowed("couple", "access.partners_only", "only a partner invites the other")
        other = next(p for p in registration.partners if p.handle != actor.partner)
        found = self.services.identity.account_of_partner(couple, other.handle)
        return {"handle": other.handle, "name": other.name, "account": found.name if found else None}

    def invite_partner(self, actor: Actor, couple: str, hours: int = 72) -> tuple[str, str]:
        """A one-time code (and its path `/join/<code>`) for the other partner of the signed-in partner's
        couple to join; refused once they have an account."""
        other = self.other_partner(actor, couple)
        if other["account"] is not None:
            raise Refusal("partner", "account.partner_taken", f"{other['name']} has an account already")
        made = self.services.accounts.invite_partner(couple, other["handle"], hours)
        return made.code, made.path


# ----------------------------------------------------------------------------------------------
def service(services: Services) -> Couples:
    """The service layer over built services."""
    return Couples(services)


def _viewer(actor: Actor) -> str | None:
    """Whose private notes the read model may show: the partner's own (in open mode: who said "this is
    me"); nobody's for a counselor or the operator."""
    return actor.partner if actor.kind in ("partner", "open") else None


def _check_partner(registration: Registration, partner: str) -> None:
    if partner not in registration.names:
        raise Refusal("partner", "partner.unknown", "choose one of the couple's partners")


def _shown_row(actor: Actor, row: dict[str, Any], notes_granted: bool) -> dict[str, Any]:
    """A read-model row as the actor may receive it. In open mode as the read model gives it (another's
    private note hidden as `note_hidden`, the shared screen says "private"); for a signed-in account a
    note they may not read is gone, and so is any sign that there was one."""
    if not actor.bound:
        return row
    readable = not row.get("note_hidden") and rules.note_readable(
        actor,
        {
            "note": row.get("note"),
            "private": row.get("private"),
            "logged_by": row.get("logged_by"),
            "by": row.get("by"),
        },
        notes_granted=notes_granted,
    )
    if readable:
        return row
    return {**row, "note": None, "note_hidden": False, "private": None}


def _couple_row(handle: str, timezone: str, partners: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "couple": handle,
        "partners": [{"handle": p["handle"], "name": p["name"]} for p in partners],
        "timezone": timezone,
    }


def _registration_row(registration: Registration) -> dict[str, Any]:
    partners = [{"handle": p.handle, "name": p.name} for p in registration.partners]
    return _couple_row(registration.handle, registration.timezone, partners)
