"""A real store in a temporary folder for the access rules, with two couples, two counselors' accounts
(made through the real identity application, as joining makes them) and the actors of SPEC section 8."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from tests.conftest import Clock
from tests.support.entries import appreciation, offer, promise, registered

COUPLE = "ana-ben"
OTHER = "cy-dee"
ANA = Actor("partner", account="ana", name="Ana", couple=COUPLE, partner="ana")
BEN = Actor("partner", account="ben", name="Ben", couple=COUPLE, partner="ben")
CY = Actor("partner", account="cy", name="Cy", couple=OTHER, partner="ana")
LEE = Actor("counselor", account="drlee", name="Dr. Lee")
KIM = Actor("counselor", account="drkim", name="Dr. Kim")
OPEN_ANA = Actor("open", couple=COUPLE, partner="ana")

BASE: list[dict[str, Any]] = [
    registered(),
    registered(couple=OTHER, entry_id="reg2"),
    offer("o1", 1, by="ana", note="we talked it through"),  # ana's attempt: ben answers it
    offer("o2", 2, by="ben"),  # ben's attempt: ana answers it
    promise("p1", 3, by="ben"),  # ben promised ana: ana settles it
    promise("p2", 3, by="ana"),  # ana promised ben: ben settles it
    appreciation("a1", 4, by="ben", note="ben's secret", private=True),
    appreciation("a2", 5, by="ana", note="ana's secret", private=True),
]


def make_account(
    services: Services, name: str, display_name: str, role: str = "counselor", **bound: str
) -> None:
    """An account, made the way joining makes it: an invitation redeemed."""
    code_hash = hashlib.sha256(f"code-{name}".encode()).hexdigest()
    expires = services.app.clock() + timedelta(hours=72)
    services.identity.invite(code_hash, role=role, display_name=display_name, expires_at=expires, **bound)
    services.identity.redeem(code_hash, name)


@contextmanager
def access_store(folder: Path, clock: Clock) -> Iterator[tuple[Couples, Services]]:
    services = build(settings_for(folder / "data"), clock=clock)
    try:
        services.app.record_batch(BASE)
        make_account(services, "drlee", "Dr. Lee")
        make_account(services, "drkim", "Dr. Kim")
        make_account(services, "ana", "Ana", role="partner", couple=COUPLE, partner="ana")
        yield Couples(services), services
    finally:
        services.close()
