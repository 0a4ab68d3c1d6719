"""The rules of SPEC section 3 that relate an entry to what the couple recorded before: the checks half
of the `Couple` aggregate (domain.couple), which holds the state they read. Each `_rules_*` method returns
the problems of one entry type (empty when every rule holds); none changes anything."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.entries import Entry
from domain.errors import Problem
from domain.vocabulary import FUTURE_TOLERANCE


class CoupleRules:
    if TYPE_CHECKING:  # the state the aggregate keeps (see Couple.__init__)
        partners: list[dict[str, str]]
        ids: dict[str, str]
        retracted: dict[str, bool]
        conflicts: dict[str, dict[str, Any]]
        attempts: dict[str, dict[str, Any]]
        promises: dict[str, dict[str, Any]]

    # ------------------------------------------------------------------------------------------
    # Queries the rules (and the write API's callers) need.
    # ------------------------------------------------------------------------------------------
    @property
    def partner_handles(self) -> list[str]:
        return [p["handle"] for p in self.partners]

    def current_due(self, promise_id: str, at: datetime) -> datetime:
        """SPEC section 4: the due_at of the renegotiation with the latest occurred_at <= `at`
        (ties: the one recorded later), else the promise's own due_at."""
        promise = self.promises[promise_id]
        due: datetime = promise["due"]
        latest: datetime | None = None
        for _, occurred, new_due in promise["renegotiations"]:
            if occurred <= at and (latest is None or occurred >= latest):
                latest, due = occurred, new_due
        return due

    # ------------------------------------------------------------------------------------------
    # Rules: each returns the problems of one entry type (empty when every rule holds).
    # ------------------------------------------------------------------------------------------
    def _common_problems(self, entry: Entry, entry_id: str, recorded_at: datetime) -> list[Problem]:
        problems = not_in_future(entry, recorded_at)
        if entry_id in self.ids:
            problems.append(Problem("id", "id.taken", f"{entry_id!r} is already used in this couple"))
        handles = self.partner_handles
        by = entry.data.get("by")
        if by is not None and by not in handles:
            problems.append(Problem("by", "partner.unknown", f"{by!r} is not one of {handles}"))
        if entry.logged_by not in (None, by) and entry.logged_by not in handles:
            problems.append(
                Problem("logged_by", "partner.unknown", f"{entry.logged_by!r} is not one of {handles}")
            )
        return problems

    def _parent(
        self, field: str, parent_id: str, expected: tuple[str, ...]
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The live parent entry a field refers to, or the problem with the reference."""
        kind = self.ids.get(parent_id)
        if kind is None:
            return None, [Problem(field, "ref.unknown", f"no entry {parent_id!r} in this couple")]
        if kind not in expected:
            return None, [Problem(field, "ref.wrong_type", f"{parent_id!r} is a {kind}, not a {expected[0]}")]
        if parent_id in self.retracted:
            return None, [Problem(field, "ref.retracted", f"{parent_id!r} was retracted")]
        table = {"conflict_started": self.conflicts, "repair_offered": self.attempts}
        return table.get(expected[0], self.promises)[parent_id], []

    def _no_more_rules(self, entry: Entry) -> list[Problem]:
        return []

    def _rules_resolution(self, entry: Entry) -> list[Problem]:
        conflict_id = entry.data["conflict"]
        conflict, problems = self._parent("conflict", conflict_id, ("conflict_started",))
        if conflict is None:
            return problems
        if conflict["resolution"] is not None:
            problems.append(
                Problem(
                    "conflict",
                    "conflict.already_resolved",
                    f"{conflict_id!r} was resolved by {conflict['resolution']!r}",
                )
            )
        return problems + _not_before(
            entry, conflict, "occurred_at", "conflict.before_start", f"before {conflict_id!r} started"
        )

    def _rules_offer(self, entry: Entry) -> list[Problem]:
        conflict_id = entry.data["conflict"]
        if conflict_id is None:
            return []
        conflict, problems = self._parent("conflict", conflict_id, ("conflict_started",))
        if conflict is None:
            return problems
        if conflict["resolution"] is not None:
            problems.append(Problem("conflict", "conflict.already_resolved", f"{conflict_id!r} is resolved"))
        return problems + _not_before(
            entry,
            conflict,
            "conflict",
            "conflict.starts_after_offer",
            f"{conflict_id!r} started after this attempt",
        )

    def _rules_answer(self, entry: Entry) -> list[Problem]:
        attempt_id = entry.data["attempt"]
        attempt, problems = self._parent("attempt", attempt_id, ("repair_offered",))
        if attempt is None:
            return problems
        if attempt["outcome"] is not None:
            answer = self.ids[attempt["outcome"]].removeprefix("repair_")
            problems.append(
                Problem("attempt", "attempt.already_answered", f"{attempt_id!r} was already {answer}")
            )
        return problems + _not_before(
            entry, attempt, "occurred_at", "attempt.before_offer", f"before {attempt_id!r} was offered"
        )

    def _rules_promise_made(self, entry: Entry) -> list[Problem]:
        return _due_after(entry)

    def _open_promise(self, entry: Entry) -> tuple[dict[str, Any] | None, list[Problem]]:
        """A promise that is live, unresolved and not released, not made after this entry."""
        promise_id = entry.data["promise"]
        promise, problems = self._parent("promise", promise_id, ("promise_made",))
        if promise is None:
            return None, problems
        if promise["outcome"] is not None:
            settled = self.ids[promise["outcome"]].removeprefix("promise_")
            problems.append(
                Problem("promise", "promise.already_settled", f"{promise_id!r} was already {settled}")
            )
        if promise["released"] is not None:
            problems.append(Problem("promise", "promise.released", f"{promise_id!r} was released"))
        problems += _not_before(
            entry, promise, "occurred_at", "promise.before_made", f"before {promise_id!r} was made"
        )
        return promise, problems

    def _rules_settlement(self, entry: Entry) -> list[Problem]:
        return self._open_promise(entry)[1]

    def _rules_renegotiation(self, entry: Entry) -> list[Problem]:
        promise, problems = self._open_promise(entry)
        if promise is None or problems:
            return problems
        at = entry.occurred_at
        renegotiations = promise["renegotiations"]
        if renegotiations and at < max(r[1] for r in renegotiations):
            problems.append(
                Problem(
                    "occurred_at",
                    "promise.before_renegotiation",
                    "before the latest renegotiation of this promise",
                )
            )
            return problems
        problems += self._past_due(entry, "promise.past_due", "its due time {due} had passed")
        return problems + _due_after(entry)

    def _rules_release(self, entry: Entry) -> list[Problem]:
        promise, problems = self._open_promise(entry)
        if promise is None or problems:
            return problems
        return self._past_due(
            entry,
            "promise.release_after_due",
            "the promise lapsed at {due}; a lapsed promise cannot be erased",
        )

    def _past_due(self, entry: Entry, code: str, words: str) -> list[Problem]:
        """A problem under `code` when the promise's current due time had passed at this entry; `words`
        say so, naming that time as `{due}`."""
        due = self.current_due(entry.data["promise"], entry.occurred_at)
        if entry.occurred_at > due:
            return [Problem("occurred_at", code, words.format(due=due.isoformat()))]
        return []

    def _rules_retraction(self, entry: Entry) -> list[Problem]:
        target = entry.data["entry"]
        kind = self.ids.get(target)
        if kind is None:
            return [Problem("entry", "ref.unknown", f"no entry {target!r} in this couple")]
        if kind in ("couple_registered", "entry_retracted"):
            return [Problem("entry", "retraction.not_retractable", f"{target!r} is a {kind}")]
        if target in self.retracted:
            return [Problem("entry", "retraction.already_retracted", f"{target!r} is already retracted")]
        return []


def not_in_future(entry: Entry, recorded_at: datetime) -> list[Problem]:
    if entry.occurred_at > recorded_at + FUTURE_TOLERANCE:
        return [
            Problem(
                "occurred_at",
                "occurred_at.in_future",
                f"{entry.occurred_at.isoformat()} is more than 5 minutes after now",
            )
        ]
    return []


def _due_after(entry: Entry) -> list[Problem]:
    """A promise (made or renegotiated) is due after the moment of its entry."""
    if entry.data["due_at"] <= entry.occurred_at:
        return [Problem("due_at", "promise.due_not_after_made", "due_at is not after occurred_at")]
    return []


def _not_before(entry: Entry, parent: Mapping[str, Any], field: str, code: str, words: str) -> list[Problem]:
    """An entry comes no earlier than the entry it refers to: a problem of `field` (`words`) if it does."""
    if entry.occurred_at < parent["at"]:
        return [Problem(field, code, words)]
    return []
