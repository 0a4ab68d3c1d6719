"""The timeline's lines that are not entries (issues 13 and 14): grants and revocations, session days
and check-in rhythm changes, newest first, names escaped as Markdown, kept by the timeline's filters."""

from __future__ import annotations

from datetime import UTC, datetime

from projections.happenings import happenings, shown_between

NAMES = {"ana": "Ana", "ben": "*Ben*"}


def test_each_kind_reads_as_what_happened_newest_first() -> None:
    found = happenings(
        [
            {
                "what": "granted",
                "name": "Dr. Lee_",
                "by": "ana",
                "at": "2026-11-30T09:00:00Z",
                "notes": False,
            },
            {"what": "revoked", "name": "Dr. Lee_", "by": "ben", "at": "2026-12-01T09:00:00Z"},
        ],
        [{"day": "2026-11-30", "counselor": "dr-lee", "name": "Dr. Lee_"}],
        [{"what": "chosen", "by": "ben", "at": "2026-11-29T12:00:00Z", "day": "Tuesday", "time": "19:00"}],
        NAMES,
        "Europe/Berlin",
    )
    assert [(h.kind, h.text) for h in found] == [
        ("access", "\\*Ben\\* ended Dr\\. Lee\\_'s access"),
        ("access", "Ana gave Dr\\. Lee\\_ access (without notes)"),
        ("session", "A session with Dr\\. Lee\\_"),
        ("check-in rhythm", "\\*Ben\\* set the weekly check-in to Tuesdays at 19:00"),
    ]
    assert found[2].at == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)  # the day's start in Berlin
    assert found[0].when == "Tue 01 Dec 2026, 10:00"


def test_the_filters_keep_what_a_partner_did_within_the_period() -> None:
    found = happenings(
        [{"what": "granted", "name": "Lee", "by": "ana", "at": "2026-11-30T09:00:00Z", "notes": True}],
        [{"day": "2026-11-30", "counselor": "lee", "name": "Lee"}],
        [{"what": "cleared", "by": "ben", "at": "2026-11-20T12:00:00Z", "day": None, "time": None}],
        NAMES,
        "UTC",
    )
    assert [h.kind for h in shown_between(found, partner="ana")] == ["access"]  # a session has no author
    since = datetime(2026, 11, 25, tzinfo=UTC)
    assert [h.kind for h in shown_between(found, since=since)] == ["access", "session"]
    assert [h.text for h in shown_between(found, until=since)] == ["\\*Ben\\* cleared the weekly check-in"]
    assert shown_between(found, oldest=datetime(2026, 12, 1, tzinfo=UTC)) == []
