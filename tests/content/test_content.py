"""The guidance library in content/guidance: every piece loads, cites, is in our own words, and comes up
exactly when its condition says (one metrics object that brings it up, one that does not, per piece)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from content import GUIDANCE_DIR, OBSERVATIONS_DIR
from content.conditions import holds
from content.facts import build_facts
from content.frontmatter import parse_front_matter
from content.library import Library, load_library
from projections.schema import METRICS_SCHEMA
from tests.support.metrics import LAST_WEEK_START, make_metrics, week_row, weeks

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO / ".." / "shared" / "seed"
RUN = 8  # no run of this many consecutive words of the seed article may appear in our content


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(schema=METRICS_SCHEMA)


def _files() -> list[Path]:
    return sorted(GUIDANCE_DIR.glob("*.md"))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'").replace("\u2018", "'"))


# --- every file loads and is complete ----------------------------------------------------------------


def test_the_library_has_a_piece_for_every_topic_of_the_brief(library: Library) -> None:
    ids = {piece.id for piece in library}
    assert len(library) >= 20
    assert {
        "safety-first",
        "repair-attempts",
        "i-statements",
        "active-listening",
        "staying-engaged",
        "empathy-and-availability",
        "anatomy-of-an-apology",
        "rebuilding-trust",
        "after-betrayal",
        "forgiveness",
        "emotional-safety-and-closeness",
        "bids-for-connection",
        "appreciation-five-to-one",
        "horseman-criticism",
        "horseman-contempt",
        "horseman-defensiveness",
        "horseman-stonewalling",
        "when-to-see-a-counselor",
        "realistic-timelines",
    } <= ids


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_each_file_has_every_field_and_cites_a_source(path: Path, library: Library) -> None:
    values, body = parse_front_matter(path.read_text(encoding="utf-8"), str(path))
    assert {"id", "title", "summary", "when", "priority", "sources"} <= set(values)
    assert values["id"] == path.stem
    piece = library.get(path.stem)
    assert piece.title and piece.summary and piece.when and piece.body == body
    assert "\n" not in piece.summary
    assert 1 <= piece.priority <= 100
    assert len(piece.sources) >= 1 and all(source.strip() for source in piece.sources)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_each_body_is_short_and_has_steps_for_this_week(path: Path, library: Library) -> None:
    piece = library.get(path.stem)
    assert 120 <= len(_words(piece.body)) <= 300
    if not piece.always:  # the safety note points to help instead of a weekly exercise
        assert "**Try this week**" in piece.body or "**Together, this week**" in piece.body


def test_only_the_safety_note_is_always_shown_and_it_has_the_top_priority(library: Library) -> None:
    always = [piece for piece in library if piece.always]
    assert [piece.id for piece in always] == ["safety-first"]
    assert always[0].priority == 100
    assert all(piece.priority < 100 for piece in library if not piece.always)
    assert next(iter(library)).id == "safety-first"


def test_the_safety_note_names_violence_coercion_and_fear_and_points_to_professional_help(
    library: Library,
) -> None:
    text = library.get("safety-first").body.lower() + library.get("safety-first").summary.lower()
    for word in ("violence", "coercion", "fear", "professional", "emergency"):
        assert word in text


def test_research_figures_are_carried_over(library: Library) -> None:
    assert "86%" in library.get("bids-for-connection").body
    assert "33%" in library.get("bids-for-connection").body
    assert "20 minutes" in library.get("horseman-stonewalling").body
    assert "20 minutes" in library.get("staying-engaged").body
    assert "13.5" in library.get("satisfaction-below-cutoff").body
    assert "Funk & Rogge, 2007" in library.get("satisfaction-below-cutoff").sources
    assert "five positive" in library.get("appreciation-five-to-one").body


def test_proxies_are_presented_honestly(library: Library) -> None:
    assert "trained observers" in library.get("bids-for-connection").body
    assert "proxy" in library.get("appreciation-five-to-one").body


# --- in our own words --------------------------------------------------------------------------------


SEED_RUNS = REPO / "tests" / "fixtures" / "seed-runs.txt"  # hashes of the seed's 8-word runs, not its text


def _run_hash(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def _seed_run_hashes() -> set[str]:
    """The 8-word runs of the seed article, as hashes kept in the repository (so a clean clone can
    check without a copy of the article); when the article is beside the repository, the hashes must
    still match it."""
    kept = set(SEED_RUNS.read_text().split())
    seeds = sorted(SEED_DIR.glob("*.txt"))
    if seeds:
        live: set[str] = set()
        for seed in seeds:
            words = _words(seed.read_text(encoding="utf-8"))
            live |= {_run_hash(tuple(words[i : i + RUN])) for i in range(len(words) - RUN + 1)}
        assert live == kept, "the seed article changed: regenerate tests/fixtures/seed-runs.txt"
    return kept


def _shown_text_files() -> list[Path]:
    """Everything the product shows in words: guidance, the report's observations, dashboard wording,
    report and README templates."""
    files = _files()
    files += sorted(OBSERVATIONS_DIR.glob("*.md"))
    files += sorted((REPO / "dashboard").rglob("*.py"))
    templates = REPO / "repairtrack" / "services" / "export" / "templates"
    assert templates.is_dir()
    files += sorted(p for p in templates.glob("*") if p.is_file())
    return files


def test_no_run_of_eight_words_of_the_seed_article_appears_in_what_the_product_shows() -> None:
    seed_runs = _seed_run_hashes()
    assert len(seed_runs) > 1000  # the seed really is there
    copied: dict[str, list[str]] = {}
    for path in _shown_text_files():
        words = _words(path.read_text(encoding="utf-8"))
        runs = {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}
        hits = [" ".join(run) for run in sorted(runs) if _run_hash(run) in seed_runs]
        if hits:
            copied[str(path.relative_to(REPO))] = hits
    assert copied == {}


# --- each condition: a metrics object that brings the piece up, one that does not ---------------------


@dataclass(frozen=True)
class Case:
    """Metrics overrides (see make_metrics) that must bring the piece up, and ones that must not."""

    shows: list[dict[str, Any]]
    hides: list[dict[str, Any]] = field(default_factory=list)


def _check_in_weeks(ana_week: int, ben_week: int) -> list[dict[str, Any]]:
    """Four weekly rows ending with the as-of week; each partner checked in only in the given row (0-3)."""
    rows = []
    for i in range(4):
        start = LAST_WEEK_START - timedelta(weeks=3 - i)
        rows.append(
            week_row(
                start,
                check_ins=(i == ana_week) + (i == ben_week),
                by_partner__ana__check_ins=int(i == ana_week),
                by_partner__ben__check_ins=int(i == ben_week),
            )
        )
    return rows


def _horseman(name: str) -> Case:
    others = {
        f"conflicts__horsemen__{other}": 2
        for other in ("criticism", "contempt", "defensiveness", "stonewalling")
        if other != name
    }
    return Case(
        shows=[{"conflicts__started": 1, f"conflicts__horsemen__{name}": 1}],
        hides=[{"conflicts__started": 3, **others}],
    )


CASES: dict[str, Case] = {
    "safety-first": Case(shows=[{}]),
    "repair-attempts": Case(
        shows=[
            {
                "repair__offered": 5,
                "repair__accepted": 1,
                "repair__declined": 3,
                "repair__acceptance_rate": 0.25,
            },
            {"conflicts__started": 2, "repair__offered": 0},
        ],
        hides=[
            {
                "repair__offered": 5,
                "repair__accepted": 3,
                "repair__declined": 1,
                "repair__acceptance_rate": 0.75,
            },
            {
                "repair__offered": 3,
                "repair__accepted": 1,
                "repair__declined": 2,
                "repair__acceptance_rate": 1 / 3,
            },
            {"conflicts__started": 2, "repair__offered": 1, "repair__pending": 1},
        ],
    ),
    "i-statements": Case(shows=[{"conflicts__started": 3}], hides=[{"conflicts__started": 2}]),
    "active-listening": Case(
        shows=[{"conflicts__started": 3, "conflicts__resolved": 1}],
        hides=[{"conflicts__started": 3, "conflicts__resolved": 2}, {"conflicts__started": 1}],
    ),
    "staying-engaged": Case(
        shows=[
            {"conflicts__started": 2, "conflicts__horsemen__stonewalling": 2},
            {"conflicts__started": 2, "repair__offered": 2, "repair__pending": 2},
        ],
        hides=[
            {"conflicts__started": 1, "conflicts__horsemen__stonewalling": 1},
            {"conflicts__started": 1, "repair__offered": 3, "repair__pending": 3},
        ],
    ),
    "empathy-and-availability": Case(
        shows=[
            {"bids__total": 5, "bids__toward": 2, "bids__away": 2, "bids__against": 1},
            {"check_ins__by_partner__ben__count": 2, "check_ins__by_partner__ben__mean_closeness": 3.5},
        ],
        hides=[
            {"bids__total": 5, "bids__toward": 3, "bids__away": 1, "bids__against": 1},
            {"check_ins__by_partner__ben__count": 2, "check_ins__by_partner__ben__mean_closeness": 4.0},
        ],
    ),
    "anatomy-of-an-apology": Case(
        shows=[{"promises__due": 2, "promises__lapsed": 1}, {"repair__declined": 3}],
        hides=[
            {"promises__due": 3, "promises__kept": 3, "promises__keeping_rate": 1.0, "repair__declined": 2}
        ],
    ),
    "rebuilding-trust": Case(
        shows=[
            {"promises__due": 4, "promises__kept": 2, "promises__broken": 2, "promises__keeping_rate": 0.5},
            {"trust_consistency__weight": 1.5, "trust_consistency__score": 42.0},
            {"weekly": weeks(2, trust=[60.0, 52.0])},
        ],
        hides=[
            {"promises__due": 4, "promises__kept": 3, "promises__broken": 1, "promises__keeping_rate": 0.75},
            {"trust_consistency__weight": 0.5, "trust_consistency__score": 30.0},
            {"weekly": weeks(2, trust=[60.0, 57.0])},
        ],
    ),
    "after-betrayal": Case(
        shows=[{"check_ins__by_partner__ana__count": 2, "check_ins__by_partner__ana__mean_trust": 3.0}],
        hides=[
            {"check_ins__by_partner__ana__count": 1, "check_ins__by_partner__ana__mean_trust": 2.0},
            {"check_ins__by_partner__ana__count": 4, "check_ins__by_partner__ana__mean_trust": 3.5},
        ],
    ),
    "forgiveness": Case(
        shows=[
            {
                "check_ins__by_partner__ben__count": 2,
                "check_ins__by_partner__ben__mean_trust": 4.0,
                "promises__due": 3,
                "promises__kept": 3,
                "promises__keeping_rate": 1.0,
            }
        ],
        hides=[
            {
                "check_ins__by_partner__ben__mean_trust": 4.0,
                "promises__due": 3,
                "promises__kept": 1,
                "promises__keeping_rate": 1 / 3,
            },
            {
                "check_ins__by_partner__ben__mean_trust": 6.0,
                "promises__due": 3,
                "promises__keeping_rate": 1.0,
            },
            {"check_ins__by_partner__ben__mean_trust": 4.0},  # no promises due: the keeping rate is null
        ],
    ),
    "emotional-safety-and-closeness": Case(
        shows=[{"check_ins__by_partner__ana__count": 3, "check_ins__by_partner__ana__mean_closeness": 5.5}],
        hides=[
            {"check_ins__by_partner__ana__count": 3, "check_ins__by_partner__ana__mean_closeness": 6.0},
            {"check_ins__by_partner__ana__count": 1, "check_ins__by_partner__ana__mean_closeness": 2.0},
        ],
    ),
    "bids-for-connection": Case(
        shows=[{"bids__total": 12, "bids__toward": 6, "bids__away": 6, "bids__turn_toward_rate": 0.5}],
        hides=[
            {"bids__total": 12, "bids__toward": 9, "bids__away": 3, "bids__turn_toward_rate": 0.75},
            {"bids__total": 9, "bids__toward": 3, "bids__away": 6, "bids__turn_toward_rate": 1 / 3},
        ],
    ),
    "appreciation-five-to-one": Case(
        shows=[
            {
                "positive_negative__positive": 6,
                "positive_negative__negative": 3,
                "positive_negative__ratio": 2.0,
            }
        ],
        hides=[
            {
                "positive_negative__positive": 12,
                "positive_negative__negative": 2,
                "positive_negative__ratio": 6.0,
            },
            {
                "positive_negative__positive": 1,
                "positive_negative__negative": 1,
                "positive_negative__ratio": 1.0,
            },
        ],
    ),
    "horseman-criticism": _horseman("criticism"),
    "horseman-contempt": _horseman("contempt"),
    "horseman-defensiveness": _horseman("defensiveness"),
    "horseman-stonewalling": _horseman("stonewalling"),
    "when-to-see-a-counselor": Case(
        shows=[
            {"conflicts__started": 3, "conflicts__recurring_topics": ["money"]},
            {"weekly": weeks(6), "trust_consistency__weight": 2.0, "trust_consistency__score": 35.0},
        ],
        hides=[
            {"conflicts__started": 3, "conflicts__recurring_topics": []},
            {"weekly": weeks(5), "trust_consistency__weight": 2.0, "trust_consistency__score": 35.0},
            {"weekly": weeks(6), "trust_consistency__weight": 2.0, "trust_consistency__score": 45.0},
        ],
    ),
    "satisfaction-below-cutoff": Case(
        shows=[{"check_ins__by_partner__ben__csi4_count": 2, "check_ins__by_partner__ben__mean_csi4": 12.0}],
        hides=[
            {"check_ins__by_partner__ana__mean_csi4": 14.0, "check_ins__by_partner__ben__mean_csi4": 13.5},
        ],
    ),
    "check-in-rhythm": Case(
        shows=[{"weekly": _check_in_weeks(ana_week=0, ben_week=3)}],  # ana's last: 23 days before as_of
        hides=[
            {"weekly": _check_in_weeks(ana_week=2, ben_week=3)},  # 9 days
            {"weekly": weeks(4)},  # no check-in at all: nothing to measure from
        ],
    ),
    "realistic-timelines": Case(
        shows=[{"weekly": weeks(2)}, {"weekly": weeks(8, trust=[50.0] * 7 + [46.0])}],
        hides=[{"weekly": []}, {"weekly": weeks(8, trust=[50.0] * 7 + [48.0])}],
    ),
}

TRIGGERS = [(piece_id, i) for piece_id, case in CASES.items() for i in range(len(case.shows))]
NON_TRIGGERS = [(piece_id, i) for piece_id, case in CASES.items() for i in range(len(case.hides))]


def test_every_content_file_has_a_case_that_shows_it_and_one_that_does_not(library: Library) -> None:
    assert set(CASES) == {piece.id for piece in library}
    for piece in library:
        assert CASES[piece.id].shows, f"{piece.id} has no metrics object that brings it up"
        if not piece.always:
            assert CASES[piece.id].hides, f"{piece.id} has no metrics object that leaves it out"


@pytest.mark.parametrize(("piece_id", "index"), TRIGGERS, ids=[f"{p}-{i}" for p, i in TRIGGERS])
def test_the_piece_comes_up_when_its_condition_holds(library: Library, piece_id: str, index: int) -> None:
    metrics = make_metrics(**CASES[piece_id].shows[index])
    piece = library.get(piece_id)
    assert holds(piece.condition, build_facts(metrics))
    chosen = {suggestion.id: suggestion for suggestion in library.select(metrics)}
    assert piece_id in chosen
    reason = chosen[piece_id].reason
    assert reason is None or ("{" not in reason and "}" not in reason)


@pytest.mark.parametrize(("piece_id", "index"), NON_TRIGGERS, ids=[f"{p}-{i}" for p, i in NON_TRIGGERS])
def test_the_piece_stays_out_when_its_condition_does_not_hold(
    library: Library, piece_id: str, index: int
) -> None:
    metrics = make_metrics(**CASES[piece_id].hides[index])
    assert not holds(library.get(piece_id).condition, build_facts(metrics))
    assert piece_id not in {suggestion.id for suggestion in library.select(metrics)}


def test_a_couple_with_nothing_logged_sees_only_the_safety_note(library: Library) -> None:
    assert [s.id for s in library.select(make_metrics())] == ["safety-first"]


def test_conditions_work_for_any_two_partner_handles(library: Library) -> None:
    handles = ("kai-7", "lee")
    metrics = make_metrics(
        handles=handles,
        check_ins__by_partner__lee__csi4_count=1,
        check_ins__by_partner__lee__mean_csi4=9.0,
        check_ins__by_partner__lee__count=3,
        check_ins__by_partner__lee__mean_trust=2.0,
    )
    chosen = [s.id for s in library.select(metrics)]
    assert chosen[:3] == ["safety-first", "after-betrayal", "satisfaction-below-cutoff"]
    reason = next(s.reason for s in library.select(metrics) if s.id == "after-betrayal")
    assert reason == "mean trust rating over the last 28 days, kai-7: —, lee: 2 (out of 10)"


def test_a_busy_month_brings_up_several_pieces_safety_first_then_by_priority(library: Library) -> None:
    metrics = make_metrics(
        conflicts__started=4,
        conflicts__horsemen__contempt=1,
        conflicts__horsemen__criticism=2,
        conflicts__recurring_topics=["chores"],
        repair__offered=6,
        repair__accepted=1,
        repair__declined=4,
        repair__pending=1,
        repair__acceptance_rate=0.2,
    )
    chosen = library.select(metrics)
    assert chosen[0].id == "safety-first"
    priorities = [s.priority for s in chosen[1:]]
    assert priorities == sorted(priorities, reverse=True)
    by_id = {s.id: s for s in chosen}
    assert {"horseman-contempt", "horseman-criticism", "when-to-see-a-counselor", "repair-attempts"} <= set(
        by_id
    )
    assert by_id["repair-attempts"].reason == (
        "over the last 28 days, repair attempts offered 6, accepted 1 (20% of those answered), "
        "conflicts started 4"
    )
    assert by_id["when-to-see-a-counselor"].reason == (
        "topics raised three or more times in the last 30 days: chores; trust consistency 50"
    )
