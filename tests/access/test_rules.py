"""SPEC section 8 "who may do what", refused side and allowed side, on the service layer over a real store
in a temporary folder (as tests/domain/test_rules.py does for SPEC section 3). `test_every_access_code_is_tested`
fails when an `access.*` code of `domain.rules.REFUSALS` has no refused case here."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from domain.errors import BatchRefused, Refusal
from domain.rules import REFUSALS
from repairtrack.bootstrap import Services
from repairtrack.services.actors import OPERATOR, Actor
from repairtrack.services.couples import Couples
from repairtrack.services.export import ExportOptions
from repairtrack.services.permissions import NotAllowed, NotVisible
from tests.access.support import ANA, BEN, COUPLE, CY, KIM, LEE, OPEN_ANA, OTHER, access_store
from tests.conftest import Clock
from tests.support.entries import (
    accepted,
    appreciation,
    broken,
    check_in,
    declined,
    kept,
    offer,
    retracted,
)


@pytest.fixture
def world(tmp_path: Path, clock: Clock) -> Iterator[tuple[Couples, Services]]:
    with access_store(tmp_path, clock) as built:
        yield built


def refused_code(error: BaseException) -> list[str]:
    if isinstance(error, BatchRefused):
        return [p.problem.code for p in error.problems]
    assert isinstance(error, Refusal)
    return [p.code for p in error.problems]


def expect(
    code: str, call: Any, *args: Any, kind: type[BaseException] = Exception, **kwargs: Any
) -> BaseException:
    with pytest.raises(kind) as caught:
        call(*args, **kwargs)
    assert code in refused_code(caught.value)
    return caught.value


def new(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as a partner posts it: no couple (theirs), no logged_by."""
    return {k: v for k, v in entry.items() if k != "couple"}


def stored(services: Services) -> int:
    return len(services.app.entries(COUPLE))


# ----------------------------------------------------------------------------------------------
# A partner sees and writes their own couple only.
# ----------------------------------------------------------------------------------------------
def test_a_partner_sees_their_own_couple_only(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    assert [c["couple"] for c in couples.couples(ANA)] == [COUPLE]
    assert couples.couples(ANA)[0]["partners"] == [
        {"handle": "ana", "name": "Ana"},
        {"handle": "ben", "name": "Ben"},
    ]
    assert couples.metrics(ANA, COUPLE) == couples.metrics(OPERATOR, COUPLE)
    assert couples.entries(ANA, COUPLE, limit=2)
    expect("access.not_found", couples.metrics, ANA, OTHER, kind=NotVisible)
    expect("access.not_found", couples.entries, CY, COUPLE, kind=NotVisible)


def test_a_partner_writes_their_own_couple_only(world: tuple[Couples, Services]) -> None:
    couples, services = world
    before = stored(services)
    expect("access.not_found", couples.record, ANA, OTHER, [new(check_in("c1", 6))], kind=NotVisible)
    expect(
        "access.other_couple", couples.record, ANA, None, [check_in("c1", 6, couple=OTHER)], kind=BatchRefused
    )
    assert stored(services) == before
    [entry_id] = couples.record(ANA, None, [new(check_in("c1", 6))])
    assert entry_id == "c1" and stored(services) == before + 1


def test_every_entry_a_partner_logs_is_logged_by_themselves(world: tuple[Couples, Services]) -> None:
    couples, services = world
    expect(
        "access.logged_by_not_you",
        couples.record,
        ANA,
        COUPLE,
        [new(appreciation("x1", 6, by="ben", logged_by="ben"))],
        kind=BatchRefused,
    )
    couples.record(ANA, COUPLE, [new(appreciation("x1", 6, by="ben"))])
    assert services.app.entries(COUPLE)[-1]["logged_by"] == "ana"  # filled in: ana logged what ben did


def test_a_check_in_is_by_the_partner_themselves(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    expect(
        "access.check_in_not_you",
        couples.record,
        ANA,
        None,
        [new(check_in("c1", 6, by="ben"))],
        kind=BatchRefused,
    )
    assert couples.record(ANA, None, [new(check_in("c1", 6, by="ana"))]) == ["c1"]


def test_only_the_recipient_answers_a_repair_attempt(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    expect(
        "access.not_yours_to_answer",
        couples.record,
        ANA,
        None,
        [new(accepted("r1", "o1", 6))],
        kind=BatchRefused,
    )
    expect(
        "access.not_yours_to_answer",
        couples.record,
        BEN,
        None,
        [new(declined("r1", "o2", 6))],
        kind=BatchRefused,
    )
    assert couples.record(BEN, None, [new(accepted("r1", "o1", 6))]) == ["r1"]
    assert couples.record(ANA, None, [new(declined("r2", "o2", 6))]) == ["r2"]


def test_an_attempt_offered_earlier_in_the_same_batch_is_known(world: tuple[Couples, Services]) -> None:
    couples, services = world
    before = stored(services)
    batch = [new(offer("o9", 6, by="ana")), new(accepted("r9", "o9", 7))]
    error = expect("access.not_yours_to_answer", couples.record, ANA, None, batch, kind=BatchRefused)
    assert isinstance(error, BatchRefused) and [p.line for p in error.problems] == [2]
    assert stored(services) == before  # all or nothing


def test_only_the_partner_a_promise_was_made_to_settles_it(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    expect(
        "access.not_yours_to_answer", couples.record, BEN, None, [new(kept("k1", "p1", 6))], kind=BatchRefused
    )
    expect(
        "access.not_yours_to_answer",
        couples.record,
        ANA,
        None,
        [new(broken("k1", "p2", 6))],
        kind=BatchRefused,
    )
    assert couples.record(ANA, None, [new(kept("k1", "p1", 6))]) == ["k1"]
    assert couples.record(BEN, None, [new(broken("k2", "p2", 6))]) == ["k2"]


def test_a_partner_retracts_only_entries_they_logged(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    expect(
        "access.not_yours_to_retract",
        couples.record,
        ANA,
        None,
        [new(retracted("x1", "o2", 6))],
        kind=BatchRefused,
    )
    assert couples.record(ANA, None, [new(retracted("x1", "o1", 6))]) == ["x1"]
    assert next(e for e in couples.entries(ANA, COUPLE) if e["id"] == "o1")["retracted"] is True


def test_the_domain_rules_still_apply_to_a_partner(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    error = expect(
        "ref.unknown", couples.record, BEN, None, [new(accepted("r1", "nope", 6))], kind=BatchRefused
    )
    assert isinstance(error, BatchRefused)


# ----------------------------------------------------------------------------------------------
# A private note reaches nobody but its author.
# ----------------------------------------------------------------------------------------------
def notes_seen(couples: Couples, actor: Actor) -> dict[str, Any]:
    return {e["id"]: (e.get("note"), e.get("private")) for e in couples.entries(actor, COUPLE)}


def test_a_private_note_reaches_nobody_but_its_author(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=True)
    assert notes_seen(couples, ANA)["a2"] == ("ana's secret", True)
    assert notes_seen(couples, ANA)["a1"] == (None, None)  # absent, and `private` absent too
    assert notes_seen(couples, BEN)["a1"] == ("ben's secret", True)
    assert notes_seen(couples, BEN)["a2"] == (None, None)
    assert notes_seen(couples, LEE)["a1"] == (None, None) and notes_seen(couples, LEE)["a2"] == (None, None)


def test_open_mode_hides_a_private_note_on_the_shared_screen_as_before(
    world: tuple[Couples, Services],
) -> None:
    couples, _ = world
    seen = notes_seen(couples, OPEN_ANA)
    assert seen["a2"] == ("ana's secret", True)
    assert seen["a1"] == (None, True)  # hidden, and the screen may say so
    assert notes_seen(couples, OPERATOR)["a1"] == ("ben's secret", True)  # the operator is not bound


# ----------------------------------------------------------------------------------------------
# A counselor sees only couples that granted them access, and only reads.
# ----------------------------------------------------------------------------------------------
def test_a_counselor_sees_only_the_couples_that_granted_access(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    assert couples.couples(LEE) == []
    expect("access.not_found", couples.metrics, LEE, COUPLE, kind=NotVisible)
    couples.grant(BEN, COUPLE, "drlee", notes=False)
    assert [c["couple"] for c in couples.couples(LEE)] == [COUPLE]
    assert couples.couples(KIM) == []
    assert couples.metrics(LEE, COUPLE)
    expect("access.not_found", couples.entries, KIM, COUPLE, kind=NotVisible)
    expect("access.not_found", couples.entries, LEE, OTHER, kind=NotVisible)


def test_a_counselor_only_reads(world: tuple[Couples, Services]) -> None:
    couples, services = world
    couples.grant(ANA, COUPLE, "drlee", notes=True)
    before = stored(services)
    expect("access.read_only", couples.record, LEE, COUPLE, [check_in("c1", 6)], kind=NotAllowed)
    expect("access.partners_only", couples.grant, LEE, COUPLE, "drlee", notes=True, kind=NotAllowed)
    expect("access.partners_only", couples.revoke, LEE, COUPLE, "drlee", kind=NotAllowed)
    expect("access.partners_only", couples.grants, LEE, COUPLE, kind=NotAllowed)
    expect("access.partners_only", couples.access_log, LEE, COUPLE, kind=NotAllowed)
    assert stored(services) == before


def test_a_counselor_reads_entries_without_notes_unless_granted_and_private_never(
    world: tuple[Couples, Services],
) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=False)
    without = notes_seen(couples, LEE)
    assert all(note is None and private is None for note, private in without.values())
    couples.grant(BEN, COUPLE, "drlee", notes=True)  # the grant changed: notes included
    shared = notes_seen(couples, LEE)
    assert shared["o1"] == ("we talked it through", None)
    assert shared["a1"] == (None, None) and shared["a2"] == (None, None)


# ----------------------------------------------------------------------------------------------
# Grants and revocations.
# ----------------------------------------------------------------------------------------------
def test_either_partner_grants_and_either_revokes_on_the_next_request(
    world: tuple[Couples, Services],
) -> None:
    couples, _ = world
    grant = couples.grant(ANA, COUPLE, "drlee", notes=False)
    assert grant["counselor"] == "drlee" and grant["name"] == "Dr. Lee" and grant["granted_by"] == "ana"
    assert couples.entries(LEE, COUPLE)
    assert couples.revoke(BEN, COUPLE, "drlee") is True
    expect("access.not_found", couples.entries, LEE, COUPLE, kind=NotVisible)
    expect("access.not_found", couples.metrics, LEE, COUPLE, kind=NotVisible)
    assert couples.couples(LEE) == []
    assert couples.revoke(BEN, COUPLE, "drlee") is False  # nothing left to revoke


def test_grants_are_listed_newest_first_to_partners(world: tuple[Couples, Services], clock: Clock) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=False)
    clock.advance(minutes=1)
    couples.grant(BEN, COUPLE, "drkim", notes=True)
    assert [g["counselor"] for g in couples.grants(ANA, COUPLE)] == ["drkim", "drlee"]
    assert [(h["what"], h["counselor"]) for h in couples.grant_history(BEN, COUPLE)] == [
        ("granted", "drkim"),
        ("granted", "drlee"),
    ]


def test_access_is_granted_only_to_a_counselors_account(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    expect("access.not_a_counselor", couples.grant, ANA, COUPLE, "nobody", notes=False, kind=NotAllowed)
    expect("access.not_a_counselor", couples.grant, ANA, COUPLE, "ana", notes=False, kind=NotAllowed)
    assert couples.grant(ANA, COUPLE, "drkim", notes=False)["counselor"] == "drkim"


def test_grants_are_not_entries(world: tuple[Couples, Services]) -> None:
    couples, services = world
    entries_before = services.app.entries(COUPLE)
    metrics_before = couples.metrics(OPERATOR, COUPLE)
    couples.grant(ANA, COUPLE, "drlee", notes=True)
    couples.metrics(LEE, COUPLE)  # an opening, recorded in the access log
    couples.record_session_date(LEE, COUPLE, date(2026, 5, 30))
    assert services.app.entries(COUPLE) == entries_before
    assert couples.metrics(OPERATOR, COUPLE) == metrics_before
    assert len(couples.entries(OPERATOR, COUPLE)) == len(entries_before)


# ----------------------------------------------------------------------------------------------
# The access log and session dates.
# ----------------------------------------------------------------------------------------------
def test_every_counselor_opening_is_logged_at_most_once_per_kind_in_ten_minutes(
    world: tuple[Couples, Services], clock: Clock
) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=False)
    couples.metrics(LEE, COUPLE)
    clock.advance(minutes=9, seconds=59)
    couples.metrics(LEE, COUPLE)  # coalesced with the first
    couples.entries(LEE, COUPLE)  # another kind
    couples.opened(LEE, COUPLE, "report")
    clock.advance(seconds=1)
    couples.metrics(LEE, COUPLE)  # ten minutes after the first
    couples.metrics(ANA, COUPLE)  # partners' reading is not logged
    log = couples.access_log(BEN, COUPLE)
    assert [(r["kind"], r["counselor"], r["name"]) for r in log] == [
        ("overview", "drlee", "Dr. Lee"),
        ("report", "drlee", "Dr. Lee"),
        ("entries", "drlee", "Dr. Lee"),
        ("overview", "drlee", "Dr. Lee"),
    ]
    assert log[0]["at"] == "2026-06-01T12:10:00Z" and log[-1]["at"] == "2026-06-01T12:00:00Z"
    assert couples.access_log(ANA, COUPLE) == log  # both partners read it


def test_only_a_counselor_records_session_dates(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=False)
    expect(
        "access.counselors_only", couples.record_session_date, ANA, COUPLE, date(2026, 5, 1), kind=NotAllowed
    )
    expect("access.not_found", couples.record_session_date, KIM, COUPLE, date(2026, 5, 1), kind=NotVisible)
    assert couples.record_session_date(LEE, COUPLE, date(2026, 5, 1)) is True
    assert couples.record_session_date(LEE, COUPLE, date(2026, 5, 1)) is False
    couples.record_session_date(LEE, COUPLE, date(2026, 5, 20))
    assert couples.session_dates(LEE, COUPLE) == [date(2026, 5, 20), date(2026, 5, 1)]


# ----------------------------------------------------------------------------------------------
# Anything the caller may not see answers exactly as a couple that does not exist.
# ----------------------------------------------------------------------------------------------
def test_not_visible_and_unknown_are_the_same_refusal(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    calls: list[tuple[str, Any]] = [
        ("metrics", lambda actor, h: couples.metrics(actor, h)),
        ("entries", lambda actor, h: couples.entries(actor, h)),
        ("record", lambda actor, h: couples.record(actor, h, [check_in("c1", 6, couple=h)])),
        ("grants", lambda actor, h: couples.grants(actor, h)),
        ("access_log", lambda actor, h: couples.access_log(actor, h)),
        ("grant", lambda actor, h: couples.grant(actor, h, "drlee", notes=False)),
        ("session", lambda actor, h: couples.record_session_date(actor, h, date(2026, 5, 1))),
        ("export", lambda actor, h: couples.export(actor, h, ExportOptions(couple=h))),
    ]

    def answer(call: Any, actor: Actor, handle: str) -> tuple[type, str, str, str]:
        with pytest.raises(Refusal) as caught:
            call(actor, handle)
        return type(caught.value), caught.value.field, caught.value.code, str(caught.value)

    for name, call in calls:
        unknown = answer(call, ANA, "no-such-couple")
        if name not in ("record", "grant", "grants", "access_log"):  # a counselor's calls
            assert answer(call, KIM, "no-such-couple") == unknown, name
        assert unknown[2] == "access.not_found", name
    # The same handle: unknown to everyone vs. existing but not visible to this caller.
    ghost = "zz-top"
    for name, call in calls:
        for actor, hidden in ((CY, COUPLE), (KIM, COUPLE), (ANA, OTHER)):
            seen = answer(call, actor, hidden)
            if seen[2] != "access.not_found":
                continue  # a partners-only or counselors-only call refuses before revealing nothing more
            assert seen[0] is NotVisible, name
            assert seen[1:3] == answer(call, actor, ghost)[1:3], name
            assert seen[3].replace(hidden, ghost) == answer(call, actor, ghost)[3], name


# ----------------------------------------------------------------------------------------------
# The bundle.
# ----------------------------------------------------------------------------------------------
def bundle_events(couples: Couples, actor: Actor, **options: Any) -> list[dict[str, Any]]:
    bundle = couples.export(actor, COUPLE, ExportOptions(couple=COUPLE, **options))
    with zipfile.ZipFile(io.BytesIO(bundle.zip_bytes())) as archive:
        return [orjson.loads(line) for line in archive.read("events.jsonl").splitlines()]


def test_the_bundle_holds_only_what_the_caller_may_read(world: tuple[Couples, Services]) -> None:
    couples, _ = world
    couples.grant(ANA, COUPLE, "drlee", notes=False)
    counselor = bundle_events(couples, LEE, include_notes=True)  # asked, not granted: left out
    assert not any("note" in e for e in counselor)
    partner = bundle_events(couples, ANA, include_notes=True)
    notes = {e["id"]: e.get("note") for e in partner}
    assert notes["o1"] == "we talked it through"
    assert notes["a1"] is None and notes["a2"] is None  # private notes never, the author's own included
    assert [r["kind"] for r in couples.access_log(ANA, COUPLE)] == ["bundle"]


def test_every_access_code_is_tested() -> None:
    """Every `access.*` code of the service layer has a refused case here (its allowed side beside it)."""
    source = Path(__file__).read_text()
    codes = {code for code in REFUSALS if code.startswith("access.") and code != "access.passphrase_missing"}
    untested = {code for code in codes if not re.search(rf'expect\(\s*"{re.escape(code)}"', source)}
    assert not untested, sorted(untested)
