"""The report's observations in content/observations: each loads, comes up exactly when its condition says,
and reads as the report has always put it; a bad file stops the load naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from content import OBSERVATIONS_DIR
from content.conditions import holds
from content.errors import GuidanceError
from content.facts import build_facts
from content.observations import Observations, load_observations
from content.templates import render_template
from projections.figures import CSI4_CUTOFF, MIN_BIDS_FOR_REFERENCE
from projections.schema import METRICS_SCHEMA
from repairtrack.services.export.report import observations
from tests.support.metrics import make_metrics

CONSTANTS = {"min_bids": MIN_BIDS_FOR_REFERENCE, "csi4_cutoff": CSI4_CUTOFF}


@pytest.fixture(scope="module")
def book() -> Observations:
    return load_observations(schema=METRICS_SCHEMA, constants=CONSTANTS)


def _attention(book: Observations, **overrides: Any) -> list[str]:
    return book.select(make_metrics(**overrides))["attention"]


# Metrics overrides that bring each observation up, with the sentence it must then read.
SHOWN: dict[str, tuple[dict[str, Any], str]] = {
    "repair-attempts-mostly-declined": (
        {"repair__accepted": 1, "repair__declined": 3, "repair__acceptance_rate": 0.25},
        "Fewer than half of the answered repair attempts were accepted (25%).",
    ),
    "repair-attempts-waiting": ({"repair__pending": 2}, "2 repair attempts have no answer logged."),
    "promises-broken": ({"promises__due": 4, "promises__broken": 1}, "Of the 4 promises due, 1 broken."),
    "promises-lapsed": (
        {"promises__due": 3, "promises__lapsed": 2},
        "Of the 3 promises due, 2 lapsed without an outcome.",
    ),
    "promises-broken-and-lapsed": (
        {"promises__due": 5, "promises__broken": 2, "promises__lapsed": 1},
        "Of the 5 promises due, 2 broken and 1 lapsed without an outcome.",
    ),
    "trust-consistency-low": (
        {"trust_consistency__weight": 1.0, "trust_consistency__score": 41.6},
        "Trust consistency is below 50 (42).",
    ),
    "csi4-total-below-cutoff": (
        {"check_ins__by_partner__ben__csi4_below_cutoff": 1},
        "1 CSI-4 total in the window fell below 13.5.",
    ),
    "csi4-totals-below-cutoff": (
        {
            "check_ins__by_partner__ana__csi4_below_cutoff": 2,
            "check_ins__by_partner__ben__csi4_below_cutoff": 1,
        },
        "3 CSI-4 totals in the window fell below 13.5.",
    ),
    "contempt-named": ({"conflicts__horsemen__contempt": 2}, "Contempt was named on 2 conflict(s)."),
    "bids-seldom-met": (
        {"bids__total": 10, "bids__toward": 6, "bids__turn_toward_rate": 0.6},
        "Bids met by turning toward: 60%.",
    ),
    "topics-coming-back": (
        {"conflicts__recurring_topics": ["money"]},
        "Some topics keep coming back (see below).",
    ),
}

# Overrides just on the other side of each condition: the observation stays out.
HIDDEN: dict[str, dict[str, Any]] = {
    "repair-attempts-mostly-declined": {
        "repair__accepted": 1,
        "repair__declined": 2,
        "repair__acceptance_rate": 1 / 3,
    },
    "repair-attempts-waiting": {"repair__pending": 1},
    "promises-broken": {"promises__due": 4},
    "promises-lapsed": {"promises__due": 4, "promises__kept": 4},
    "promises-broken-and-lapsed": {"promises__due": 4, "promises__broken": 3},
    "trust-consistency-low": {"trust_consistency__weight": 0.9, "trust_consistency__score": 30.0},
    "csi4-total-below-cutoff": {"check_ins__by_partner__ana__csi4_below_cutoff": 2},
    "csi4-totals-below-cutoff": {"check_ins__by_partner__ana__csi4_below_cutoff": 1},
    "contempt-named": {"conflicts__horsemen__criticism": 3},
    "bids-seldom-met": {"bids__total": 9, "bids__toward": 1, "bids__turn_toward_rate": 1 / 9},
    "topics-coming-back": {"conflicts__recurring_topics": []},
}


def test_every_observation_file_has_a_case_that_shows_it_and_one_that_does_not(book: Observations) -> None:
    ids = {item.id for item in book}
    assert ids == {path.stem for path in OBSERVATIONS_DIR.glob("*.md")}
    assert set(SHOWN) == ids and set(HIDDEN) == ids


@pytest.mark.parametrize("item_id", sorted(SHOWN))
def test_the_observation_reads_as_the_report_puts_it(book: Observations, item_id: str) -> None:
    overrides, sentence = SHOWN[item_id]
    assert _attention(book, **overrides) == [sentence]
    assert observations(make_metrics(**overrides), None) == ([], [sentence])


@pytest.mark.parametrize("item_id", sorted(HIDDEN))
def test_the_observation_stays_out_when_its_condition_does_not_hold(book: Observations, item_id: str) -> None:
    (item,) = [item for item in book if item.id == item_id]
    facts = {**build_facts(make_metrics(**HIDDEN[item_id])), **CONSTANTS}
    assert not holds(item.condition, facts)
    assert render_template(item.sentence, facts) not in _attention(book, **HIDDEN[item_id])


def test_nothing_logged_needs_no_attention(book: Observations) -> None:
    assert book.select(make_metrics()) == {"improved": [], "attention": []}


def test_several_observations_come_in_the_report_s_order(book: Observations) -> None:
    overrides = {
        "conflicts__recurring_topics": ["chores"],
        "conflicts__horsemen__contempt": 1,
        "repair__pending": 3,
        "promises__due": 2,
        "promises__lapsed": 1,
    }
    assert _attention(book, **overrides) == [
        "3 repair attempts have no answer logged.",
        "Of the 2 promises due, 1 lapsed without an outcome.",
        "Contempt was named on 1 conflict(s).",
        "Some topics keep coming back (see below).",
    ]


def test_the_numbers_the_report_owns_are_named_not_written(book: Observations) -> None:
    texts = {item.id: item.when + " " + item.sentence for item in book}
    assert "min_bids" in texts["bids-seldom-met"] and "10" not in texts["bids-seldom-met"]
    assert all("13.5" not in text for text in texts.values())
    assert any("{csi4_cutoff}" in text for text in texts.values())


# --- loading checks every file -----------------------------------------------------------------------


def _write(folder: Path, item_id: str, front: str, body: str = "A sentence with {repair.offered}.") -> Path:
    path = folder / f"{item_id}.md"
    path.write_text(f"---\nid: {item_id}\n{front}---\n{body}\n", encoding="utf-8")
    return path


GOOD = "section: attention\nwhen: repair.offered > 1\npriority: 50\n"


def test_a_sentence_over_several_lines_is_one_sentence(tmp_path: Path) -> None:
    _write(tmp_path, "wrapped", GOOD, body="Offered\n{repair.offered}\ntimes.")
    book = load_observations(tmp_path, schema=METRICS_SCHEMA)
    assert book.select(make_metrics(repair__offered=2))["attention"] == ["Offered 2 times."]


@pytest.mark.parametrize(
    ("front", "body", "message"),
    [
        ("section: elsewhere\nwhen: repair.offered > 1\npriority: 50\n", "Words.", "section must be one of"),
        (
            "section: attention\nwhen: repair.rate > 1\npriority: 50\n",
            "Words.",
            "when: 'repair.rate': unknown",
        ),
        (GOOD, "At {repair.nothing}.", "sentence: 'repair.nothing': unknown fact"),
        (GOOD, "", r"the sentence \(the body\) is empty"),
        (
            "section: attention\nwhen: repair.offered > 1\n",
            "Words.",
            r"missing front matter key\(s\) \['priority'\]",
        ),
        (GOOD + "sources: [a]\n", "Words.", r"unknown front matter key\(s\) \['sources'\]"),
    ],
)
def test_a_bad_observation_stops_the_load_naming_it(
    tmp_path: Path, front: str, body: str, message: str
) -> None:
    _write(tmp_path, "fine", GOOD)
    bad = _write(tmp_path, "broken", front, body)
    with pytest.raises(GuidanceError, match=message) as caught:
        load_observations(tmp_path, schema=METRICS_SCHEMA)
    assert str(bad) in str(caught.value)
    assert "fine.md" not in str(caught.value)


def test_constants_are_facts_to_conditions_and_may_not_shadow_one(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "over",
        "section: improved\nwhen: repair.offered >= least\npriority: 50\n",
        "At least {least}.",
    )
    with pytest.raises(GuidanceError, match="unknown fact 'least'"):
        load_observations(tmp_path, schema=METRICS_SCHEMA)
    book = load_observations(tmp_path, schema=METRICS_SCHEMA, constants={"least": 3})
    assert book.select(make_metrics(repair__offered=3)) == {"improved": ["At least 3."], "attention": []}
    with pytest.raises(GuidanceError, match="shadow"):
        load_observations(tmp_path, schema=METRICS_SCHEMA, constants={"repair": 1})
