"""The condition language: tokenizer, parser, checks against the facts schema, and three-valued evaluation."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import content
from content.conditions import check_condition as check_against
from content.conditions import evaluate, holds
from content.errors import ConditionError
from content.facts import build_facts, facts_schema
from content.syntax import Arithmetic, Compare, FactPath, Logic, Node, Not, Number, parse_condition, tokenize
from projections.schema import METRICS_SCHEMA
from tests.support.metrics import make_metrics

SCHEMA = facts_schema(METRICS_SCHEMA)


def check_condition(text: str) -> Node:
    """A condition checked against the facts of SPEC section 4's metrics object."""
    return check_against(text, SCHEMA)


def _value(condition: str, **overrides: Any) -> Any:
    return evaluate(check_condition(condition), build_facts(make_metrics(**overrides)))


def _holds(condition: str, **overrides: Any) -> bool:
    return holds(check_condition(condition), build_facts(make_metrics(**overrides)))


# --- parsing and precedence --------------------------------------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    a, b, c = FactPath(("a",)), FactPath(("b",)), FactPath(("c",))
    assert parse_condition("a or b and c") == Logic("or", (a, Logic("and", (b, c))))
    assert parse_condition("(a or b) and c") == Logic("and", (Logic("or", (a, b)), c))


def test_not_applies_to_the_whole_comparison() -> None:
    assert parse_condition("not a < 1") == Not(Compare("<", FactPath(("a",)), Number(1.0)))


def test_arithmetic_binds_tighter_than_comparison_and_is_left_associative() -> None:
    tree = parse_condition("a - b - c >= 4")
    a, b, c = FactPath(("a",)), FactPath(("b",)), FactPath(("c",))
    assert tree == Compare(">=", Arithmetic("-", Arithmetic("-", a, b), c), Number(4.0))
    assert _value("10 - 3 - 2 == 5") is True
    assert _value("-2 + 3 == 1") is True


def test_precedence_decides_the_outcome() -> None:
    # or(offered > 2, and(declined > 0, accepted > 5)): true through the first branch alone
    assert _holds("repair.offered > 2 or repair.declined > 0 and repair.accepted > 5", repair__offered=3)
    assert not _holds(
        "(repair.offered > 2 or repair.declined > 0) and repair.accepted > 5", repair__offered=3
    )
    assert _holds("not repair.offered > 2 and repair.declined == 0", repair__offered=1)


def test_every_comparison_operator() -> None:
    for condition, expected in [
        ("window_days < 28", False),
        ("window_days <= 28", True),
        ("window_days > 27.5", True),
        ("window_days >= 29", False),
        ("window_days == 28", True),
        ("window_days != 28", False),
    ]:
        assert _holds(condition) is expected, condition


def test_a_bare_list_is_true_when_it_has_items_and_len_counts_them() -> None:
    assert not _holds("conflicts.recurring_topics")
    assert _holds("conflicts.recurring_topics", conflicts__recurring_topics=["money"])
    assert _holds("len(conflicts.recurring_topics) >= 2", conflicts__recurring_topics=["money", "sex"])
    assert _holds("not conflicts.recurring_topics")


# --- missing data never brings a piece up ------------------------------------------------------------


def test_a_comparison_with_null_is_false() -> None:
    assert not _holds("repair.acceptance_rate < 0.5")
    assert not _holds("repair.acceptance_rate >= 0.5")
    assert not _holds("repair.acceptance_rate != 0.5")
    assert not _holds("repair.acceptance_rate + 1 > 0")
    assert not _holds("-repair.acceptance_rate < 1")


def test_negating_missing_data_does_not_bring_a_piece_up() -> None:
    assert _value("repair.acceptance_rate < 0.5") is None  # unknown, not false
    assert not _holds("not (repair.acceptance_rate < 0.5)")
    assert not _holds("not repair.acceptance_rate")


def test_unknown_combines_by_three_valued_logic() -> None:
    assert _holds("repair.acceptance_rate < 0.5 or repair.offered == 0")
    assert not _holds("repair.acceptance_rate < 0.5 and repair.offered == 0")
    assert not _holds("repair.acceptance_rate < 0.5 and repair.offered == 1")
    assert _value("repair.acceptance_rate < 0.5 and repair.offered == 1") is False
    assert _value("repair.acceptance_rate < 0.5 or repair.offered == 1") is None


def test_null_can_be_tested_for_presence() -> None:
    assert _holds("repair.acceptance_rate == null")
    assert not _holds("repair.acceptance_rate != null")
    assert _holds("repair.acceptance_rate != null", repair__acceptance_rate=0.0)
    assert _holds("null == repair.acceptance_rate")


# --- partners: wildcards and aggregates --------------------------------------------------------------


def test_any_partner_and_all_partners_work_with_any_handles() -> None:
    metrics = make_metrics(handles=("kai", "lee-2"), check_ins__by_partner__kai__mean_csi4=12.0)
    facts = build_facts(metrics)
    assert holds(check_condition("any_partner(check_ins.by_partner.*.mean_csi4 < 13.5)"), facts)
    assert not holds(check_condition("all_partners(check_ins.by_partner.*.mean_csi4 < 13.5)"), facts)
    metrics["check_ins"]["by_partner"]["lee-2"]["mean_csi4"] = 15.0
    facts = build_facts(metrics)
    assert evaluate(check_condition("min(check_ins.by_partner.*.mean_csi4)"), facts) == 12.0
    assert evaluate(check_condition("max(check_ins.by_partner.*.mean_csi4)"), facts) == 15.0
    assert holds(check_condition("all_partners(check_ins.by_partner.*.mean_csi4 > 10)"), facts)


def test_every_star_in_an_aggregate_is_the_same_partner() -> None:
    condition = "any_partner(repair.by_partner.*.offered >= 3 and repair.by_partner.*.acceptance_rate < 0.5)"
    # ana offered many with a good rate, ben few with a poor one: no single partner meets both
    assert not _holds(
        condition,
        repair__by_partner__ana__offered=4,
        repair__by_partner__ana__acceptance_rate=0.75,
        repair__by_partner__ben__offered=1,
        repair__by_partner__ben__acceptance_rate=0.0,
    )
    assert _holds(
        condition, repair__by_partner__ben__offered=4, repair__by_partner__ben__acceptance_rate=0.25
    )


def test_min_and_max_leave_nulls_out_and_are_null_over_nothing() -> None:
    assert _value("min(check_ins.by_partner.*.mean_csi4)") is None
    assert not _holds("min(check_ins.by_partner.*.mean_csi4) < 13.5")
    assert _value("max(check_ins.by_partner.*.mean_csi4)", check_ins__by_partner__ben__mean_csi4=9.0) == 9.0
    assert _holds("min(trust_consistency.by_partner.*) <= 50")


def test_any_partner_with_one_partner_unknown() -> None:
    # ana's trust is null (no check-ins), ben's is 8: "any below 5" is unknown, so it does not show
    assert not _holds(
        "any_partner(check_ins.by_partner.*.mean_trust < 5)", check_ins__by_partner__ben__mean_trust=8
    )
    assert _holds(
        "any_partner(check_ins.by_partner.*.mean_trust < 5)", check_ins__by_partner__ben__mean_trust=4
    )
    assert not _holds(
        "all_partners(check_ins.by_partner.*.mean_trust > 5)", check_ins__by_partner__ben__mean_trust=8
    )


# --- refused conditions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("repair.acceptance_rat < 0.5", "did you mean 'acceptance_rate'"),
        ("repairs.offered > 1", "unknown fact 'repairs'"),
        ("repair > 1", "names a group, not a value"),
        ("repair.offered.count > 1", "is a value, it has no 'count'"),
        ("check_ins.by_partner.ana.mean_csi4 < 13.5", "partner handles are never written"),
        ("check_ins.by_partner.*.mean_csi4 < 13.5", "must sit inside any_partner"),
        ("repair.*.offered > 1", "'*' stands for a partner handle"),
        ("any_partner(repair.offered > 1)", "needs a '*' path"),
        ("any_partner(min(repair.by_partner.*.offered) > 1)", "cannot sit inside any_partner"),
        ("min(repair.by_partner.*.offered > 1) > 0", "takes a number"),
        ("len(repair.offered) > 1", "len(...) takes the path of a list fact"),
        ("conflicts.recurring_topics > 1", "compares numbers only"),
        ("conflicts.recurring_topics + 1 > 1", "numbers only"),
        ("repair.offered < null", "'== null' or '!= null'"),
        ("couple", "a condition must be"),
        ("weekly.week_start == 1", "is a value"),
    ],
)
def test_conditions_naming_unknown_or_misused_facts_are_refused(condition: str, message: str) -> None:
    with pytest.raises(ConditionError, match=re.escape(message)):
        check_condition(condition)


@pytest.mark.parametrize(
    "condition",
    [
        "",
        "   ",
        "repair.offered >",
        "repair.offered > > 1",
        "((repair.offered > 1)",
        "repair.offered > 1)",
        "repair.offered > 1 2",
        "1 < 2 < 3",
        "always and repair.offered > 1",
        "repair.offered > 1 or always",
        "repair.offered > 'x'",
        'repair.offered == "x"',
        "repair.offered = 1",
        "repair.offered && 1",
        "Repair.offered > 1",
        "repair..offered > 1",
        "repair.offered. > 1",
        "repair.1 > 1",
        "any_partner",
        "min(repair.by_partner.*.offered",
        "and",
        "not",
        "repair.offered > 1; import os",
        "[1, 2]",
        "lambda: 1",
        "1e3 > 1",
    ],
)
def test_garbage_conditions_are_refused(condition: str) -> None:
    with pytest.raises(ConditionError):
        check_condition(condition)


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "_",
        "repair.offered > 1 if True else 0",  # 'True' starts with a capital: not a token
        "x.__class__",
        "open('/etc/passwd')",
        "repair['offered']",
        "'a' + 'b'",
        "repair.offered > 1 # comment",
        "`id`",
    ],
)
def test_python_is_refused_by_the_tokenizer(condition: str) -> None:
    with pytest.raises(ConditionError, match="unexpected character"):
        tokenize(condition)


def test_names_python_would_know_are_just_unknown_facts() -> None:
    for condition in ("eval(1)", "exec", "print > 1", "open"):
        with pytest.raises(ConditionError):
            check_condition(condition)


@pytest.mark.parametrize("path", sorted(Path(content.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_the_module_never_evaluates_text_and_stays_pure_python(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"streamlit", "duckdb", "polars", "pyarrow", "dashboard", "importlib", "pickle"}


def test_the_content_package_imports_only_the_standard_library_and_itself() -> None:
    stdlib = set(sys.stdlib_module_names)
    for path in sorted(Path(content.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
        assert imported <= stdlib | {"content"}, f"{path.name} imports {sorted(imported - stdlib)}"
