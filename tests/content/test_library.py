"""Loading a guidance folder (strict front matter, checked at start-up), choosing, explaining and searching,
and the derived facts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from content.errors import GuidanceError
from content.facts import DERIVED_FACTS, build_facts
from content.frontmatter import parse_front_matter
from content.library import Library
from content.library import load_library as load_from
from content.templates import render_template as render_reason
from projections.schema import METRICS_SCHEMA
from tests.support.metrics import LAST_WEEK_START, make_metrics, week_row, weeks


def load_library(folder: Path | None = None) -> Library:
    """A folder of guidance (the project's own by default), checked against SPEC section 4's metrics."""
    return load_from(folder, schema=METRICS_SCHEMA)


BODY = "Some plain words of guidance.\n\n**Try this week**\n\n- one step\n"


def _piece(
    folder: Path,
    piece_id: str,
    when: str = "always",
    priority: int = 50,
    extra: str = "",
    body: str = BODY,
    sources: str = "sources:\n  - Gottman & Levenson, 2000\n",
) -> Path:
    path = folder / f"{piece_id}.md"
    path.write_text(
        f"---\nid: {piece_id}\ntitle: Title of {piece_id}\nsummary: One line about {piece_id}.\n"
        f"when: {when}\npriority: {priority}\n{sources}{extra}---\n{body}",
        encoding="utf-8",
    )
    return path


# --- front matter --------------------------------------------------------------------------------------


def test_front_matter_reads_strings_integers_and_both_list_forms() -> None:
    values, body = parse_front_matter(
        "---\n"
        "id: a-piece\n"
        "# a comment\n"
        "\n"
        "title: Speak from your side: a title with a colon\n"
        'summary: "Quoted, with a comma"\n'
        "priority: 7\n"
        "sources: [\"Gottman & Levenson, 2000\", Funk & Rogge 2007, 'single, quoted']\n"
        "reason:\n"
        "  - first\n"
        "  - second item\n"
        "---\n\nThe body.\n"
    )
    assert values == {
        "id": "a-piece",
        "title": "Speak from your side: a title with a colon",
        "summary": "Quoted, with a comma",
        "priority": 7,
        "sources": ["Gottman & Levenson, 2000", "Funk & Rogge 2007", "single, quoted"],
        "reason": ["first", "second item"],
    }
    assert body == "The body."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\n---\nbody", "must start with a '---' line"),
        ("---\nid: x\nbody", "no closing '---'"),
        ("---\nid: x\nid: y\n---\nbody", "'id' is given twice"),
        ("---\njust words\n---\nbody", "expected 'key: value'"),
        ("---\n  - stray\n---\nbody", "must follow 'key:'"),
        ("---\nsources: [a, b\n---\nbody", "must close on the same line"),
        ('---\ntitle: "half quoted\n---\nbody', 'matching " quotes'),
        ('---\nsources: ["a, b]\n---\nbody', "unclosed quote"),
    ],
)
def test_malformed_front_matter_is_refused(text: str, message: str) -> None:
    with pytest.raises(GuidanceError, match=message):
        parse_front_matter(text, "f.md")


# --- loading checks every file at start-up -------------------------------------------------------------


def test_a_good_folder_loads(tmp_path: Path) -> None:
    _piece(tmp_path, "safety", priority=100)
    _piece(
        tmp_path,
        "low-rate",
        when="repair.acceptance_rate < 0.5",
        extra="reason: rate {repair.acceptance_rate:%}\n",
    )
    library = load_library(tmp_path)
    assert [piece.id for piece in library] == ["safety", "low-rate"]
    assert library.get("low-rate").sources == ("Gottman & Levenson, 2000",)
    assert library.get("low-rate").body == BODY.strip()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"extra": "author: me\n"}, r"unknown front matter key\(s\) \['author'\]"),
        ({"sources": ""}, r"missing front matter key\(s\) \['sources'\]"),
        ({"sources": "sources: []\n"}, "at least one non-empty source"),
        ({"priority": 0}, "priority must be an integer from 1 to 100"),
        ({"priority": 101}, "priority must be an integer from 1 to 100"),
        ({"when": "repair.acceptance_rate <"}, "when: expected a value"),
        ({"when": "repair.rate < 0.5"}, "when: 'repair.rate': unknown fact 'rate'"),
        ({"when": "__import__('os')"}, "when: unexpected character '_'"),
        ({"extra": "reason: at {repair.nothing}\n"}, "reason: 'repair.nothing': unknown fact"),
        ({"extra": "reason: at {repair.offered:>10}\n"}, "the format must be"),
        ({"extra": "reason: a stray } brace\n"}, "outside a {placeholder}"),
        ({"body": ""}, "the body is empty"),
    ],
)
def test_a_bad_file_stops_the_load_with_an_error_naming_it(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    _piece(tmp_path, "fine")
    bad = _piece(tmp_path, "broken", **kwargs)
    with pytest.raises(GuidanceError, match=message) as caught:
        load_library(tmp_path)
    assert str(bad) in str(caught.value)
    assert "fine.md" not in str(caught.value)


def test_an_id_that_differs_from_the_file_name_is_refused(tmp_path: Path) -> None:
    path = _piece(tmp_path, "right-name")
    path.rename(tmp_path / "other-name.md")
    with pytest.raises(GuidanceError, match="differs from the file name 'other-name'"):
        load_library(tmp_path)


def test_an_id_that_is_not_kebab_case_is_refused(tmp_path: Path) -> None:
    _piece(tmp_path, "Not_Kebab")
    with pytest.raises(GuidanceError, match="is not kebab-case"):
        load_library(tmp_path)


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    _piece(tmp_path, "one", when="nope > 1")
    _piece(tmp_path, "two", priority=0)
    with pytest.raises(GuidanceError) as caught:
        load_library(tmp_path)
    assert "one.md" in str(caught.value) and "two.md" in str(caught.value)


def test_a_missing_or_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GuidanceError, match="no such guidance folder"):
        load_library(tmp_path / "nowhere")
    with pytest.raises(GuidanceError, match=r"holds no \.md file"):
        load_library(tmp_path)


# --- selection and ranking -----------------------------------------------------------------------------


def test_the_always_piece_comes_first_then_priority_then_id(tmp_path: Path) -> None:
    _piece(tmp_path, "zz-safety", priority=90)
    _piece(tmp_path, "aa-top", when="window_days > 0", priority=100)
    _piece(tmp_path, "bb-tie", when="window_days > 0", priority=60)
    _piece(tmp_path, "ab-tie", when="window_days > 0", priority=60)
    _piece(tmp_path, "never", when="window_days > 100", priority=99)
    chosen = load_library(tmp_path).select(make_metrics())
    assert [s.id for s in chosen] == ["zz-safety", "aa-top", "ab-tie", "bb-tie"]
    assert chosen[0].always and not chosen[1].always
    assert chosen[1].when == "window_days > 0"


def test_reasons_are_filled_and_formatted(tmp_path: Path) -> None:
    _piece(
        tmp_path,
        "explained",
        when="repair.acceptance_rate < 0.5",
        extra=(
            "reason: rate {repair.acceptance_rate:%} over {window_days} days, ratio {positive_negative.ratio}, "
            "topics {conflicts.recurring_topics}, trend {trust_trend:.1f}, closeness "
            "{check_ins.by_partner.*.mean_closeness}\n"
        ),
    )
    metrics = make_metrics(
        repair__acceptance_rate=0.38,
        conflicts__recurring_topics=["chores", "money"],
        check_ins__by_partner__ben__mean_closeness=6.25,
    )
    (suggestion,) = load_library(tmp_path).select(metrics)
    assert suggestion.reason == (
        "rate 38% over 28 days, ratio —, topics chores, money, trend —, closeness ana: —, ben: 6.25"
    )


@pytest.mark.parametrize(
    ("template", "facts", "expected"),
    [
        ("{a:%}", {"a": 0.385}, "38%"),
        ("{a:%}", {"a": 1}, "100%"),
        ("{a:.1%}", {"a": 0.3851}, "38.5%"),
        ("{a}", {"a": 13.0}, "13"),
        ("{a}", {"a": 2 / 3}, "0.67"),
        ("{a}", {"a": 0.5}, "0.5"),
        ("{a:.0f}", {"a": 49.6}, "50"),
        ("{a}", {"a": None}, "—"),
        ("{a:%}", {"a": None}, "—"),
        ("{a}", {"a": []}, "none"),
        ("no placeholders", {}, "no placeholders"),
    ],
)
def test_reason_values_render_for_people(template: str, facts: dict[str, Any], expected: str) -> None:
    assert render_reason(template, facts) == expected


def test_extras_must_be_known() -> None:
    with pytest.raises(GuidanceError, match="unknown extras"):
        build_facts(make_metrics(), {"last_check_ins": {}})


def test_a_metrics_object_missing_a_part_is_named() -> None:
    metrics = make_metrics()
    del metrics["check_ins"]
    with pytest.raises(GuidanceError, match="no 'check_ins"):
        build_facts(metrics)


# --- search ---------------------------------------------------------------------------------------------


def test_search_finds_words_anywhere_ignoring_case_title_matches_first() -> None:
    library = load_library()
    assert [p.id for p in library.search("FLOODING")][:1] == ["horseman-stonewalling"]
    hits = [p.id for p in library.search("apology")]
    assert hits[0] == "anatomy-of-an-apology"
    assert [p.id for p in library.search("86% newlyweds")] == ["bids-for-connection"]
    assert library.search("zebra crossing") == []
    assert len(library.search("")) == len(library)
    assert library.search("")[0].id == "safety-first"


# --- derived facts --------------------------------------------------------------------------------------


def test_derived_facts_are_declared_once_with_descriptions_and_never_shadow_metrics() -> None:
    assert {
        "days_since_last_check_in",
        "max_days_since_last_check_in",
        "trust_trend",
        "weeks_of_data",
        "min_partner_csi4",
    } <= set(DERIVED_FACTS)
    assert not set(DERIVED_FACTS) & set(METRICS_SCHEMA)
    assert all(len(fact.description) > 40 for fact in DERIVED_FACTS.values())


def _shape(value: Any, schema: Any) -> bool:
    if isinstance(schema, dict):
        if "*" in schema:
            return isinstance(value, dict) and all(_shape(v, schema["*"]) for v in value.values())
        return (
            isinstance(value, dict)
            and set(value) == set(schema)
            and all(_shape(value[k], schema[k]) for k in schema)
        )
    kinds = {
        "int": (int,),
        "number": (int, float),
        "number?": (int, float, type(None)),
        "list": (list,),
        "string": (str,),
    }
    return isinstance(value, kinds[schema])


def test_the_schema_matches_the_spec_shaped_factory_object() -> None:
    assert _shape(make_metrics(), METRICS_SCHEMA)
    facts = build_facts(make_metrics())
    assert all(_shape(facts[name], fact.schema) for name, fact in DERIVED_FACTS.items())


def test_weeks_of_data_counts_the_weekly_rows() -> None:
    assert build_facts(make_metrics())["weeks_of_data"] == 0
    assert build_facts(make_metrics(weekly=weeks(5)))["weeks_of_data"] == 5


def test_trust_trend_is_the_change_over_the_last_two_weeks() -> None:
    assert build_facts(make_metrics())["trust_trend"] is None
    assert build_facts(make_metrics(weekly=weeks(1, trust=[70.0])))["trust_trend"] is None
    assert build_facts(make_metrics(weekly=weeks(3, trust=[40.0, 62.5, 55.0])))["trust_trend"] == -7.5


def test_min_partner_csi4_leaves_nulls_out() -> None:
    assert build_facts(make_metrics())["min_partner_csi4"] is None
    facts = build_facts(make_metrics(check_ins__by_partner__ben__mean_csi4=15.25))
    assert facts["min_partner_csi4"] == 15.25
    facts = build_facts(
        make_metrics(check_ins__by_partner__ana__mean_csi4=12.0, check_ins__by_partner__ben__mean_csi4=15.0)
    )
    assert facts["min_partner_csi4"] == 12.0


def test_days_since_last_check_in_from_the_weekly_rows() -> None:
    rows = [week_row(LAST_WEEK_START - timedelta(weeks=3 - i)) for i in range(4)]
    rows[0]["by_partner"]["ana"]["check_ins"] = 2  # week of 2026-05-11; as_of is 2026-06-03
    rows[2]["by_partner"]["ana"]["check_ins"] = 1  # week of 2026-05-25: the last one counts
    facts = build_facts(make_metrics(weekly=rows))
    assert facts["days_since_last_check_in"] == {"ana": 9, "ben": None}
    assert facts["max_days_since_last_check_in"] == 9
    assert build_facts(make_metrics(weekly=weeks(3)))["max_days_since_last_check_in"] is None


def test_days_since_last_check_in_prefers_exact_times_from_the_extras() -> None:
    rows = weeks(2)
    rows[1]["by_partner"]["ben"]["check_ins"] = 1
    extras = {"last_check_in": {"ana": "2026-05-19T20:00:00+02:00", "ben": None}}
    facts = build_facts(make_metrics(weekly=rows), extras)
    # 2026-05-19 18:00 UTC to 2026-06-03 18:00 UTC: exactly 15 days; ben's None means "none"
    assert facts["days_since_last_check_in"] == {"ana": 15, "ben": None}
    # a partner the extras leave out falls back to the weekly rows
    facts = build_facts(make_metrics(weekly=rows), {"last_check_in": {"ana": "2026-06-03T17:00:00Z"}})
    assert facts["days_since_last_check_in"] == {"ana": 0, "ben": 2}


def test_days_since_last_check_in_is_never_negative() -> None:
    row = week_row(date(2026, 6, 8), by_partner__ana__check_ins=1)  # a week starting after as_of's UTC date
    assert build_facts(make_metrics(weekly=[row]))["days_since_last_check_in"]["ana"] == 0


def test_check_in_rhythm_can_use_the_extras(tmp_path: Path) -> None:
    library = load_library()
    metrics = make_metrics(weekly=weeks(4))
    assert "check-in-rhythm" not in {s.id for s in library.select(metrics)}
    chosen = {s.id: s for s in library.select(metrics, {"last_check_in": {"ana": "2026-05-01T09:00:00Z"}})}
    assert chosen["check-in-rhythm"].reason == "days since each of you last checked in: ana: 33, ben: —"
