"""Private notes never leave; other notes only when asked for; with --pseudonymize no name or handle is
left in any file (PDF text, Parquet and FHIR authors included), and the bundle still re-imports."""

from __future__ import annotations

import orjson
import pytest

from repairtrack.services.export import Bundle
from tests.export import scenarios
from tests.export.support import every_text, lines, make_bundle, reimported_metrics, whole_words

NORMAL, PRIVATE, REASON = "MARKER-NORMAL-5c2e", "MARKER-PRIVATE-9d1f", "MARKER-REASON-7a4b"
IDENTITIES = ["wren", "otto", "wrenna", "holm", "brandt", "wren-otto", "Wrenna Holm", "Otto Brandt"]


@pytest.fixture(scope="module")
def plain() -> Bundle:
    return make_bundle(scenarios.with_notes(), "wren-otto")


@pytest.fixture(scope="module")
def with_notes() -> Bundle:
    return make_bundle(scenarios.with_notes(), "wren-otto", include_notes=True)


@pytest.fixture(scope="module")
def pseudonymized() -> Bundle:
    return make_bundle(scenarios.with_notes(), "wren-otto", include_notes=True, pseudonymize=True)


def found_in(bundle: Bundle, marker: str) -> list[str]:
    return [name for name, text in every_text(bundle.files).items() if marker in text]


def test_notes_are_left_out_by_default(plain: Bundle) -> None:
    assert found_in(plain, NORMAL) == []
    assert found_in(plain, PRIVATE) == []
    assert found_in(plain, REASON) == []
    assert not any("note" in e or "private" in e or "reason" in e for e in lines(plain.files["events.jsonl"]))


def test_include_notes_brings_the_normal_note_and_never_the_private_one(with_notes: Bundle) -> None:
    assert sorted(found_in(with_notes, NORMAL)) == ["events.jsonl", "report.html", "report.pdf"]
    assert found_in(with_notes, REASON) == ["events.jsonl"]
    assert found_in(with_notes, PRIVATE) == []
    check_in = next(e for e in lines(with_notes.files["events.jsonl"]) if e["id"] == "c1")
    assert "note" not in check_in and "private" not in check_in


def test_pseudonymized_files_hold_no_name_or_handle(pseudonymized: Bundle) -> None:
    texts = every_text(pseudonymized.files)

    leaks = {name: whole_words(text, IDENTITIES) for name, text in texts.items()}
    assert leaks == {name: [] for name in texts}
    for name, data in pseudonymized.files.items():  # nor anywhere in the raw bytes
        assert b"wrenna" not in data.lower() and b"brandt" not in data.lower(), name
    assert found_in(pseudonymized, PRIVATE) == []
    assert "Partner A" in texts["report.pdf"] and "Partner B" in texts["report.pdf"]


def test_pseudonyms_replace_identities_in_structure_and_free_text(pseudonymized: Bundle) -> None:
    written = {e["id"]: e for e in lines(pseudonymized.files["events.jsonl"])}
    registration = next(e for e in written.values() if e["type"] == "couple_registered")

    assert {e["couple"] for e in written.values()} == {"couple"}
    assert registration["partners"] == [
        {"handle": "partner-a", "name": "Partner A"},
        {"handle": "partner-b", "name": "Partner B"},
    ]
    assert written["partner-a-k1"]["topic"] == "partner b's mother"
    assert written["partner-b-o1"]["conflict"] == "partner-a-k1"
    assert written["partner-b-o1"]["note"] == "Partner B said sorry to Partner A"
    assert written["k1"]["note"] == "kept it, partner-a noticed"
    assert written["p1"]["description"] == "call Partner A when running late"
    assert written["x1"]["reason"] == "MARKER-REASON-7a4b couple typo"


def test_pseudonymized_fhir_names_partners_by_their_pseudonyms(pseudonymized: Bundle) -> None:
    fhir = orjson.loads(pseudonymized.files["csi4.fhir.json"])
    authors = [e["resource"]["author"] for e in fhir["entry"][1:]]

    assert [a["display"] for a in authors] == ["Partner B", "Partner A"]
    assert [a["identifier"]["value"] for a in authors] == ["couple/partner-b", "couple/partner-a"]


def test_a_pseudonymized_bundle_still_reimports_with_identical_metrics(pseudonymized: Bundle) -> None:
    metrics = orjson.loads(pseudonymized.files["metrics.json"])

    assert metrics["couple"] == "couple"
    assert set(metrics["repair"]["by_partner"]) == {"partner-a", "partner-b"}
    assert reimported_metrics(pseudonymized) == metrics


def test_pseudonymized_metrics_are_the_real_ones_under_other_names(
    with_notes: Bundle, pseudonymized: Bundle
) -> None:
    real = with_notes.files["metrics.json"].decode()
    renamed = (
        real.replace('"wren-otto"', '"couple"')
        .replace('"wren"', '"partner-a"')
        .replace('"otto"', '"partner-b"')
        .replace('"otto\'s mother"', '"partner b\'s mother"')
    )

    assert orjson.loads(renamed) == orjson.loads(pseudonymized.files["metrics.json"])
