"""A real store in a temporary folder with one couple whose names, handles, notes, descriptions and topics
are distinctive words (so a feed can be scanned for any trace of them), both partners' accounts made by
redeeming invitations, and a clock we control."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from tests.conftest import Clock

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # a Monday
PASSPHRASE = "a quiet walk by the river"
COUPLE = "qx-lantern"
FIRST, SECOND = "zephy", "barth"
NAMES = {FIRST: "Zephyrine Quillfeather", SECOND: "Bartholomew Oakhaven"}
GREENHOUSE = (
    "repaint the ochre greenhouse, then; phone Marisol"  # a comma and a semicolon: escaped in iCalendar
)
HARPSICHORD = "untangle the harpsichord invoices"
UMBRELLA = "periwinkle umbrella promise, a long one that folds: " + "waterproof " * 8
KAYAK = "moonlit kayak confession"
TOPIC = "saxophone budget"
APOLOGY = "glimmering thistle apology"
# Every private or personal text of the couple; none may reach a feed without details.
PRIVATE_TEXTS = [COUPLE, *NAMES, *NAMES.values(), GREENHOUSE, HARPSICHORD, UMBRELLA, KAYAK, TOPIC, APOLOGY]


def at(moment: datetime | timedelta) -> str:
    found = NOW + moment if isinstance(moment, timedelta) else moment
    return found.isoformat()


def entry(entry_type: str, entry_id: str, when: timedelta, **fields: Any) -> dict[str, Any]:
    return {"type": entry_type, "couple": COUPLE, "id": entry_id, "occurred_at": at(when), **fields}


def registered(timezone: str = "Europe/Berlin") -> dict[str, Any]:
    partners = [{"handle": h, "name": n} for h, n in NAMES.items()]
    return entry("couple_registered", "reg", -timedelta(days=10), partners=partners, timezone=timezone)


def promise(entry_id: str, by: str, due: timedelta, description: str, made: float = -2) -> dict[str, Any]:
    return entry(
        "promise_made", entry_id, timedelta(days=made), by=by, description=description, due_at=at(due)
    )


def history() -> list[dict[str, Any]]:
    """Promises by and to both, a conflict with a topic and a note, notes on other entries."""
    return [
        promise("p-greenhouse", FIRST, timedelta(days=2), GREENHOUSE),
        promise("p-harpsichord", SECOND, timedelta(days=5), HARPSICHORD),
        promise("p-umbrella", SECOND, timedelta(days=20), UMBRELLA),
        entry(
            "conflict_started",
            "c1",
            -timedelta(days=3),
            by=FIRST,
            topic=TOPIC,
            horsemen=[],
            intensity=2,
            note="a note about the " + KAYAK,
        ),
        entry("repair_offered", "o1", -timedelta(days=1), by=SECOND, kind="apology", note=APOLOGY),
        entry(
            "check_in",
            "ci1",
            -timedelta(days=8),
            by=FIRST,
            closeness=7,
            trust=6,
            note=KAYAK,
            private=True,
        ),
    ]


def make_partner_account(services: Services, partner: str) -> str:
    """The account named after the partner's handle, joined through an invitation; its name."""
    code = services.accounts.invite_partner(COUPLE, partner).code
    services.accounts.join(code, f"{partner}-acc", PASSPHRASE, "127.0.0.1")
    return f"{partner}-acc"


def actor(partner: str) -> Actor:
    return Actor("partner", account=f"{partner}-acc", name=NAMES[partner], couple=COUPLE, partner=partner)


def open_store(folder: Path, clock: Clock, timezone: str = "Europe/Berlin") -> Services:
    services = build(settings_for(folder / "data"), clock=clock)
    services.app.record_batch([registered(timezone), *history()])
    for partner in NAMES:
        make_partner_account(services, partner)
    return services


@pytest.fixture
def now_clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(tmp_path: Path, now_clock: Clock) -> Iterator[Services]:
    services = open_store(tmp_path, now_clock)
    yield services
    services.close()


@pytest.fixture
def couples(store: Services) -> Couples:
    return Couples(store)
