"""What else happened to a couple, for its timeline (issues 13 and 14): grants and revocations of a
counselor's access, session days with a counselor, and changes of the weekly check-in. They are not
entries (nothing to retract, no figure counts them), so the timeline shows them as plain lines between
the entries, each marked with what it is. Names are escaped as Markdown here; the text is Markdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from projections.escaping import escape_markdown
from projections.formatting import local_text


@dataclass(frozen=True)
class Happening:
    at: datetime  # when, for ordering among the entries
    kind: str  # the mark: "access", "session", "check-in rhythm"
    text: str  # Markdown, names escaped
    when: str  # how the time is shown
    by: str | None = None  # the partner who did it, when a partner did


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _who(handle: str | None, names: Mapping[str, str]) -> str:
    if not handle:
        return "Someone"
    return escape_markdown(names.get(handle, handle))


def happenings(
    grants: Sequence[Mapping[str, Any]],
    sessions: Sequence[Mapping[str, Any]],
    rhythm: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    zone: str,
) -> list[Happening]:
    """The couple's non-entry events, newest first, from `Couples.grant_history`, `Couples.sessions`
    and `Couples.rhythm_history`."""
    found: list[Happening] = []
    for change in grants:
        at = _moment(str(change["at"]))
        who, counselor = _who(change.get("by"), names), escape_markdown(str(change.get("name") or ""))
        if change["what"] == "granted":
            notes = "with notes" if change.get("notes") else "without notes"
            text = f"{who} gave {counselor} access ({notes})"
        else:
            text = f"{who} ended {counselor}'s access"
        found.append(Happening(at, "access", text, local_text(at, zone), change.get("by")))
    for session in sessions:
        day = date.fromisoformat(str(session["day"]))
        at = datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(zone))
        counselor = escape_markdown(str(session.get("name") or session.get("counselor") or ""))
        found.append(Happening(at, "session", f"A session with {counselor}", day.strftime("%a %d %b %Y")))
    for change in rhythm:
        at = _moment(str(change["at"]))
        who = _who(change.get("by"), names)
        if change["what"] == "chosen":
            text = f"{who} set the weekly check-in to {change['day']}s at {change['time']}"
        else:
            text = f"{who} cleared the weekly check-in"
        found.append(Happening(at, "check-in rhythm", text, local_text(at, zone), change.get("by")))
    return sorted(found, key=lambda h: h.at, reverse=True)


def shown_between(
    happened: Sequence[Happening],
    *,
    partner: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    oldest: datetime | None = None,
) -> list[Happening]:
    """The ones the timeline's filters keep: done by `partner` (when one is chosen), within the period,
    and not older than the oldest entry shown (`oldest`, when more entries follow on the next page)."""
    return [
        h
        for h in happened
        if (partner is None or h.by == partner)
        and (since is None or h.at >= since)
        and (until is None or h.at <= until)
        and (oldest is None or h.at >= oldest)
    ]
