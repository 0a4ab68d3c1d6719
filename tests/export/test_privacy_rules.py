"""Notes left out, and pseudonyms as whole words, case-insensitively (unit level)."""

from __future__ import annotations

from repairtrack.services.export.privacy import Pseudonymizer, strip_notes

PARTNERS = [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben Okafor"}]


def pseudonymizer() -> Pseudonymizer:
    return Pseudonymizer("ana-ben", PARTNERS)


def test_notes_and_reasons_are_left_out_unless_asked_for() -> None:
    note = {"type": "check_in", "id": "c1", "note": "shared", "private": False}
    reason = {"type": "entry_retracted", "id": "x1", "entry": "c1", "reason": "typo"}

    assert "note" not in strip_notes(note, include_notes=False)
    assert "reason" not in strip_notes(reason, include_notes=False)
    assert strip_notes(note, include_notes=True)["note"] == "shared"
    assert strip_notes(reason, include_notes=True)["reason"] == "typo"


def test_a_private_note_never_leaves_and_takes_its_flag_with_it() -> None:
    entry = {"type": "check_in", "id": "c1", "by": "ana", "note": "secret", "private": True}

    for include in (False, True):
        stripped = strip_notes(entry, include_notes=include)
        assert "note" not in stripped and "private" not in stripped


def test_names_and_handles_are_replaced_as_whole_words_whatever_their_case() -> None:
    text = pseudonymizer().text("ANA told Ben, and ana-ben ate a banana with ben's brother Okafor.")

    assert text == "Partner A told Partner B, and couple ate a banana with Partner B's brother Partner B."


def test_a_handle_inside_another_word_is_left_alone() -> None:
    assert pseudonymizer().text("Anabel and Benjamin bought bananas") == "Anabel and Benjamin bought bananas"


def test_a_replaced_topic_stays_a_valid_topic() -> None:
    topic = pseudonymizer().topic("ana's mother " + "x" * 55)

    assert topic == topic.lower().strip()
    assert 1 <= len(topic) <= 60
    assert topic.startswith("partner a's mother")


def test_ids_that_spell_a_name_are_replaced_consistently_in_references() -> None:
    p = pseudonymizer()
    p.reserve_ids(["ana-1", "Ana-1", "p1"])
    entries = [
        p.entry({"type": "promise_made", "couple": "ana-ben", "id": "ana-1", "by": "ana"}),
        p.entry({"type": "promise_kept", "couple": "ana-ben", "id": "Ana-1", "promise": "ana-1"}),
        p.entry({"type": "promise_made", "couple": "ana-ben", "id": "p1", "by": "ben", "logged_by": "ana"}),
    ]

    assert entries[0]["id"] == "partner-a-1"
    assert entries[1]["promise"] == "partner-a-1"
    assert entries[1]["id"] not in {"partner-a-1", "Ana-1", "p1"}  # a clash gets a plain id
    assert entries[2] == {
        "type": "promise_made",
        "couple": "couple",
        "id": "p1",
        "by": "partner-b",
        "logged_by": "partner-a",
    }


def test_the_registration_names_partner_a_first() -> None:
    entry = pseudonymizer().entry(
        {"type": "couple_registered", "couple": "ana-ben", "id": "r", "partners": PARTNERS}
    )

    assert entry["partners"] == [
        {"handle": "partner-a", "name": "Partner A"},
        {"handle": "partner-b", "name": "Partner B"},
    ]


def test_handles_that_are_already_pseudonyms_swap_cleanly() -> None:
    p = Pseudonymizer("x", [{"handle": "partner-b", "name": "B"}, {"handle": "partner-a", "name": "A"}])

    assert p.text("partner-b then partner-a") == "partner-a then partner-b"


def test_without_pseudonyms_nothing_changes() -> None:
    p = Pseudonymizer("ana-ben", PARTNERS, enabled=False)

    assert p.text("Ana and Ben") == "Ana and Ben"
    assert p.handle("ana") == "ana" and p.couple_handle == "ana-ben"
