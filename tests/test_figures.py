"""Every reference figure and threshold is written in one module: `projections.figures` (the CSI-4
cut-off in `domain.vocabulary`, which the metrics count with). The cards, the terminal's table, the
charts and the report render the figure objects; none of them restates a number or its words."""

from __future__ import annotations

import ast
from pathlib import Path

from projections import charts
from projections.figures import FIGURES, REFERENCES, change, enough_bids, trust_known
from tests.support.metrics import make_metrics

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "projections", "dashboard", "repairtrack", "content")
TEMPLATES = REPO / "repairtrack" / "services" / "export" / "templates"

# Each figure with the one module allowed to write it, and how it can appear in text.
NUMBERS = {13.5: "domain/vocabulary.py", 0.86: "projections/figures.py", 0.33: "projections/figures.py"}
WORDS = ("86%", "33%", "13.5", "5 to 1", "5 : 1", "5:1", "14-day", "14 days", "too little to say")


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _restatements(path: Path) -> list[str]:
    """The figures a module writes itself: number literals, words inside strings (docstrings and comments
    aside), and comparisons of bids with 10 or of a weight with 1."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    where = str(path.relative_to(REPO))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            if isinstance(value, float) and value in NUMBERS and NUMBERS[value] != where:
                found.append(f"{where}:{node.lineno}: {value}")
            if isinstance(value, str) and where != "projections/figures.py":
                found += [f"{where}:{node.lineno}: {word!r}" for word in WORDS if word in value]
        if isinstance(node, ast.Compare) and where != "projections/figures.py":
            text = ast.get_source_segment(source, node) or ""
            numbers = [c.value for c in [*node.comparators, node.left] if isinstance(c, ast.Constant)]
            if ("bid" in text and 10 in numbers) or ("weight" in text and 1 in numbers):
                found.append(f"{where}:{node.lineno}: {text}")
    return found


def test_each_reference_figure_and_threshold_is_written_in_one_module() -> None:
    assert [hit for path in _modules() for hit in _restatements(path)] == []


def test_the_report_templates_name_no_figure_themselves() -> None:
    for template in sorted(TEMPLATES.glob("*")):
        text = template.read_text(encoding="utf-8")
        assert [word for word in WORDS if word in text] == [], template.name


def test_every_reference_text_fills_in_its_figures() -> None:
    more = {"bids": 4, "window": "the last 28 days", "weight": "0.5", "name": "Ana"}
    for reference in REFERENCES.values():
        for part in ("source", "chart", "table", "meaning", "terminal", "report_chart"):
            try:
                text = reference.text(part, **more)
            except KeyError as missing:
                assert missing.args[0] == part, (reference.key, part, missing)  # the part is absent
                continue
            assert "{" not in text and text.strip(), (reference.key, part)


def test_the_thresholds_for_showing_a_reference_and_a_score() -> None:
    assert not enough_bids(9) and enough_bids(10)
    assert not REFERENCES["turn_toward"].shown(9) and REFERENCES["positive_negative"].shown(10)
    assert REFERENCES["csi4"].shown(0)  # the cut-off needs no bids
    assert not trust_known(0.99) and trust_known(1.0)
    assert charts.reference_note("turn_toward", 9).endswith(
        "This window holds 9, so the reference is not shown yet."
    )


def test_a_figure_reads_its_value_and_change_from_the_metrics_object() -> None:
    bids = next(f for f in FIGURES if f.key == "bids")
    now = make_metrics(bids__total=12, bids__turn_toward_rate=0.75)
    before = make_metrics(bids__total=10, bids__turn_toward_rate=0.5)
    moved = change(bids, now, before)
    assert moved is not None and (moved.text, moved.direction) == ("+25 points (was 50%)", "better")
    assert change(bids, now, make_metrics(bids__total=9, bids__turn_toward_rate=0.5)) is None
    assert bids.reference is REFERENCES["turn_toward"]
