"""The timeline: every entry newest first, filters, retraction with a reason (struck through, still
listed), correction (the form filled in again; saving retracts the old entry and stores the new one in
one step, leaving stores nothing), the other partner's private notes hidden."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import COUPLE, Store, card, click, form_children, open_page, submit


def lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(("**", "~~**")) and " · " in m.value]


def test_every_entry_newest_first(couple: Store) -> None:
    couple.record("appreciation_expressed", hours_ago=3, by="ben")
    couple.record("bid_made", hours_ago=2, by="ana", response="toward")
    couple.record("check_in", hours_ago=1, by="ben", closeness=6, trust=7, csi4=[4, 3, 3, 4])
    at = open_page("timeline")
    assert lines(at) == [
        "**Check-in** · closeness 6 of 10, trust 7 of 10; satisfaction \\(CSI\\-4\\) 14 of 21 · Ben",
        "**Bid for connection** · met\\: turned toward · Ana",
        "**Appreciation** · Ben",
        "**Couple registered** · Ana & Ben",
    ]


def test_filters_by_type_and_partner(couple: Store) -> None:
    couple.record("appreciation_expressed", hours_ago=3, by="ben")
    couple.record("appreciation_expressed", hours_ago=2, by="ana")
    couple.record("bid_made", hours_ago=1, by="ben", response="away")
    at = open_page("timeline")
    at.multiselect(key="timeline:types").set_value(["appreciation_expressed"]).run()
    assert lines(at) == ["**Appreciation** · Ana", "**Appreciation** · Ben"]
    at.selectbox(key="timeline:partner").set_value("ben").run()
    assert lines(at) == ["**Appreciation** · Ben"]
    at.multiselect(key="timeline:types").set_value([]).run()
    assert lines(at) == ["**Bid for connection** · met\\: turned away · Ben", "**Appreciation** · Ben"]


def test_filters_by_period(couple: Store) -> None:
    couple.record("appreciation_expressed", hours_ago=24 * 10, by="ben")
    couple.record("appreciation_expressed", hours_ago=2, by="ana")
    at = open_page("timeline")
    at.selectbox(key="timeline:period").set_value("7").run()
    assert lines(at) == ["**Appreciation** · Ana"]


def test_retracting_an_entry_with_a_reason_strikes_it_through_and_moves_the_figures(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=3, by="ben", kind="apology")
    answer = couple.record("repair_accepted", hours_ago=2, attempt=attempt, logged_by="ana")
    assert card(open_page("overview"), "Repair acceptance") == ("100%", None)

    at = open_page("timeline")
    assert lines(at)[0] == "**Repair accepted** · Ben's apology repair attempt · logged by Ana"
    at.text_input(key=f"timeline:reason:{answer}").input("tapped the wrong button")
    click(at, f"entry:{answer}:retract:confirm")

    assert [s.value for s in at.success] == ["Retracted. It stays in the timeline, struck through."]
    retraction, retracted = lines(at)[:2]
    assert retraction.startswith("**Retraction** · the repair accepted of ")
    assert retraction.endswith("; reason\\: tapped the wrong button · logged by Ana")
    assert retracted == (
        "~~**Repair accepted** · Ben's apology repair attempt · logged by Ana~~ :gray-badge[retracted]"
    )
    stored = couple.last()
    assert (stored["type"], stored["entry"], stored["reason"]) == (
        "entry_retracted",
        answer,
        "tapped the wrong button",
    )
    assert f"entry:{answer}:retract:confirm" not in {b.key for b in at.button}  # cannot retract twice
    assert card(open_page("overview"), "Repair acceptance") == ("—", None)
    assert [m.value for m in open_page("waiting").markdown if "offered" in m.value]  # waiting again


def test_correct_reopens_the_form_filled_in_and_saving_replaces_the_entry_in_one_step(couple: Store) -> None:
    check_in = couple.record(
        "check_in", hours_ago=5, by="ana", closeness=3, trust=8, csi4=[1, 2, 3, 4], note="tired"
    )
    before = len(couple.entries())
    at = click(open_page("timeline"), f"entry:{check_in}:correct")

    assert [t.value for t in at.title] == ["Log"]
    key = "form:ana-ben:check_in:"
    assert at.slider(key=key + "closeness").value == 3
    assert at.slider(key=key + "trust").value == 8
    assert [at.radio(key=f"{key}csi4_{n}").value for n in range(1, 5)] == [1, 2, 3, 4]
    assert at.text_area(key=key + "note").value == "tired"
    assert len(couple.entries()) == before  # nothing is retracted until the correction is saved
    original = datetime.fromisoformat(couple.last()["occurred_at"]).astimezone(ZoneInfo("Europe/Berlin"))
    assert at.datetime_input(key=key + "when").value == original.replace(tzinfo=None)

    at.slider(key=key + "closeness").set_value(4)
    notified = couple.services.app.recorder.max_notification_id() or 0
    submit(at)
    retraction, corrected = couple.entries()[-2:]
    assert (retraction["type"], retraction["entry"], retraction["reason"]) == (
        "entry_retracted",
        check_in,
        "corrected",
    )
    assert (corrected["type"], corrected["closeness"], corrected["trust"], corrected["note"]) == (
        "check_in",
        4,
        8,
        "tired",
    )
    assert corrected["occurred_at"] == couple.entries()[-3]["occurred_at"]  # the same moment as before
    assert (couple.services.app.recorder.max_notification_id() or 0) == notified + 2  # stored together
    assert len(couple.entries()) == before + 2


def test_correct_then_leaving_the_form_keeps_the_entry(couple: Store) -> None:
    check_in = couple.record("check_in", hours_ago=5, by="ana", closeness=3, trust=8)
    before = couple.entries()
    at = click(open_page("timeline"), f"entry:{check_in}:correct")
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert couple.entries() == before
    assert lines(at)[0] == "**Check-in** · closeness 3 of 10, trust 8 of 10 · Ana"  # not struck through


def on_log(at: AppTest) -> AppTest:
    """Stay on the Log page the correction opened (AppTest reruns the page it last switched to)."""
    at.switch_page("pages/log.py")
    return at


def test_correct_then_dropping_the_correction_keeps_the_entry(couple: Store) -> None:
    check_in = couple.record("check_in", hours_ago=5, by="ana", closeness=3, trust=8)
    before = couple.entries()
    at = on_log(click(open_page("timeline"), f"entry:{check_in}:correct"))
    [drop] = [b for b in at.button if b.label == "Don't correct it"]
    drop.click().run()
    assert not at.exception
    assert couple.entries() == before
    assert not [b for b in at.button if b.label == "Don't correct it"]
    submit(at)  # the form is an ordinary new check-in again
    assert [e["type"] for e in couple.entries()[len(before) :]] == ["check_in"]


def test_a_refused_correction_stores_nothing_and_shows_why_under_its_field(couple: Store) -> None:
    promise = couple.record("promise_made", hours_ago=5, by="ana", description="call", due_at=couple.ago(-48))
    before = couple.entries()
    at = on_log(click(open_page("timeline"), f"entry:{promise}:correct"))
    key = "form:ana-ben:promise_made:"
    at.text_input(key=key + "description").input("   ")
    submit(at)
    assert couple.entries() == before  # neither the retraction nor the replacement
    children = form_children(at)
    below = children[children.index(("text_input", key + "description")) + 1]
    assert below == ("error", "Please fill this in."), children  # the refusal, under its field
    assert [b for b in at.button if b.label == "Don't correct it"]  # still correcting
    timeline = open_page("timeline")
    assert lines(timeline)[0].startswith("**Promise** · “call”")  # not struck through


def test_correcting_an_answer_keeps_its_attempt_to_choose(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=3, by="ben", kind="apology")
    answer = couple.record("repair_accepted", hours_ago=2, attempt=attempt, logged_by="ana")
    at = click(open_page("timeline"), f"entry:{answer}:correct")
    assert at.selectbox(key="form:ana-ben:repair_accepted:attempt").value == attempt
    submit(at)
    retraction, corrected = couple.entries()[-2:]
    assert (retraction["type"], retraction["entry"]) == ("entry_retracted", answer)
    assert (corrected["type"], corrected["attempt"]) == ("repair_accepted", attempt)


def test_the_other_partners_private_note_shows_as_private(couple: Store) -> None:
    couple.record("appreciation_expressed", hours_ago=2, by="ben", note="just for me", private=True)
    as_ana = open_page("timeline")
    assert not any("just for me" in m.value for m in as_ana.markdown)
    assert any(c.value == ":material/lock: private" for c in as_ana.caption)
    [correct] = [b for b in as_ana.button if (b.key or "").endswith(":correct")]
    assert correct.disabled
    as_ben = open_page("timeline", partner="ben")
    assert any(m.value == "> just for me" for m in as_ben.markdown)


def test_an_empty_timeline_says_what_to_do_first(store: Store) -> None:
    store.register()
    at = open_page("timeline")
    at.multiselect(key="timeline:types").set_value(["check_in"]).run()
    assert at.info[0].value.startswith("Nothing here yet. Log a check-in")


def marked(at: AppTest) -> list[str]:
    """The timeline's lines that are not entries (access, session days, check-in rhythm), in order."""
    return [m.value.split(" · ")[0] for m in at.markdown if m.value.startswith(":gray-badge[")]


def test_access_sessions_and_the_check_in_rhythm_show_between_the_entries(couple: Store) -> None:
    couple.record("appreciation_expressed", hours_ago=48, by="ben")
    access = couple.services.access
    access.grant(COUPLE, "dr-lee", notes=False, by="ana")
    access.date_session(COUPLE, "dr-lee", couple.now.astimezone(ZoneInfo("Europe/Berlin")).date())
    access.grant(COUPLE, "dr-lee", notes=True, by="ben")
    access.revoke(COUPLE, "dr-lee", by="ana")
    access.choose_rhythm(COUPLE, 1, "19:00", by="ben")
    couple.record("check_in", hours_ago=0, by="ana", closeness=5, trust=5)

    at = open_page("timeline")
    assert marked(at) == [
        ":gray-badge[check-in rhythm] Ben set the weekly check-in to Tuesdays at 19:00",
        ":gray-badge[access] Ana ended dr\\-lee's access",
        ":gray-badge[access] Ben gave dr\\-lee access (with notes)",
        ":gray-badge[access] Ana gave dr\\-lee access (without notes)",
        ":gray-badge[session] A session with dr\\-lee",
    ]
    shown = [m.value for m in at.markdown if m.value.startswith(("**", ":gray-badge[")) and " · " in m.value]
    assert [line.split(" · ")[0] for line in shown[:4]] == marked(at)[:4]  # the newest
    assert sorted(line.split(" · ")[0] for line in shown[4:6]) == [  # both today
        "**Check-in**",
        ":gray-badge[session] A session with dr\\-lee",
    ]
    assert shown[6:] == ["**Appreciation** · Ben", "**Couple registered** · Ana & Ben"]
    assert len([b for b in at.button if (b.key or "").endswith(":retract:confirm")]) == 2  # entries only

    at.selectbox(key="timeline:partner").set_value("ben").run()
    assert marked(at) == [
        ":gray-badge[check-in rhythm] Ben set the weekly check-in to Tuesdays at 19:00",
        ":gray-badge[access] Ben gave dr\\-lee access (with notes)",
    ]
    at.multiselect(key="timeline:types").set_value(["check_in"]).run()
    assert marked(at) == []  # an entry type chosen: only entries


def test_names_in_those_lines_are_escaped(store: Store) -> None:
    store.record(
        "couple_registered",
        hours_ago=24 * 60,
        couple="zo-yu",
        partners=[{"handle": "zo", "name": "*Zo* [x](y)"}, {"handle": "yu", "name": "Yu"}],
        timezone="Europe/Berlin",
    )
    store.services.access.choose_rhythm("zo-yu", 0, "08:30", by="zo")
    at = open_page("timeline", couple="zo-yu", partner="zo")
    assert marked(at) == [
        ":gray-badge[check-in rhythm] \\*Zo\\* \\[x\\]\\(y\\) set the weekly check-in to Mondays at 08:30"
    ]
