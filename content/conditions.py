"""Conditions: what a condition means over the facts, checked at load and evaluated on each selection.

A condition is written in a piece's front matter (``when:``); its syntax is ``content.syntax``. It reads
the facts: the metrics object plus the derived facts (``content.facts``).

- A *path* names a fact: ``repair.acceptance_rate``, ``conflicts.horsemen.contempt``, ``trust_trend``.
  ``check_condition`` checks paths against the schema of the facts it is given (``content.facts.facts_schema``
  of the metrics schema): a path that names nothing, or names a group rather than a value, is refused.
- *Partners.* Handles are never written into a condition. Under ``by_partner`` (and in per-partner derived
  facts) the handle is written ``*``, and a ``*`` path may only appear inside one of the partner
  aggregates, which are not nested:

  - ``any_partner(e)``: ``e`` holds for at least one partner (every ``*`` in ``e`` is that same partner);
  - ``all_partners(e)``: ``e`` holds for both partners;
  - ``min(e)`` / ``max(e)``: the lowest / highest value of the number ``e`` over the partners, nulls left
    out, null when every value is null.

  ``len(path)`` is the length of a list fact (``len(conflicts.recurring_topics) >= 2``).
- *Truth.* A bare value used as a condition is true when it is a non-empty list or a non-zero number
  (``conflicts.recurring_topics`` alone means "there is a recurring topic").
- *Missing data never brings a piece up.* A rate or mean over nothing is null (SPEC section 4). Arithmetic
  with null gives null; a comparison with a null operand is *unknown*, and so is a bare null value.
  ``and``/``or``/``not`` and the aggregates follow three-valued (Kleene) logic, so ``not`` cannot turn
  missing data into a "yes"; a condition that ends unknown counts as false. The one exception is a test
  for presence: ``x == null`` / ``x != null`` (against the literal ``null``) is plainly true or false.
- ``always`` stands alone and is always true: the safety note uses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from content.errors import ConditionError, GuidanceError
from content.facts import partners
from content.schema import Kind, Schema, resolve
from content.syntax import (
    Always,
    Arithmetic,
    Call,
    Compare,
    FactPath,
    Logic,
    Negate,
    Node,
    Not,
    Null,
    Number,
    parse_condition,
)

__all__ = ["Value", "check_condition", "evaluate", "holds", "lookup"]


def _check(node: Node, schema: Schema, aggregate: str | None) -> Kind:
    """The kind of value a node yields; ConditionError when the condition names unknown facts or mixes kinds.

    ``aggregate`` is the partner aggregate the node sits in, if any.
    """
    if isinstance(node, Number):
        return "number"
    if isinstance(node, Null):
        return "null"
    if isinstance(node, Always):
        return "bool"
    if isinstance(node, FactPath):
        kind, wildcard = resolve(node.parts, schema)
        if wildcard and aggregate is None:
            raise ConditionError(
                f"{node.text!r}: a '*' path must sit inside any_partner(...), all_partners(...), min(...) "
                "or max(...)"
            )
        return kind
    if isinstance(node, Negate | Arithmetic):
        sides: tuple[Node, ...] = (node.operand,) if isinstance(node, Negate) else (node.left, node.right)
        for operand in sides:
            if _check(operand, schema, aggregate) != "number":
                raise ConditionError("'+' and '-' work on numbers only")
        return "number"
    if isinstance(node, Compare):
        left, right = _check(node.left, schema, aggregate), _check(node.right, schema, aggregate)
        if "null" in (left, right):
            other = right if left == "null" else left
            if node.op not in ("==", "!=") or other not in ("number", "list"):
                raise ConditionError("null can only be tested with '== null' or '!= null' against a fact")
            return "bool"
        if left != "number" or right != "number":
            raise ConditionError(f"'{node.op}' compares numbers only (found {left} and {right})")
        return "bool"
    if isinstance(node, Not | Logic):
        operands: tuple[Node, ...] = (node.operand,) if isinstance(node, Not) else node.operands
        for operand in operands:
            if _check(operand, schema, aggregate) not in ("bool", "number", "list"):
                raise ConditionError("'and', 'or' and 'not' work on conditions, numbers and lists only")
        return "bool"
    if isinstance(node, Call):
        if node.function == "len":
            if not isinstance(node.argument, FactPath) or _check(node.argument, schema, aggregate) != "list":
                raise ConditionError("len(...) takes the path of a list fact")
            return "number"
        if aggregate is not None:
            raise ConditionError(f"{node.function}(...) cannot sit inside {aggregate}(...)")
        kind = _check(node.argument, schema, node.function)
        if not _has_wildcard(node.argument):
            raise ConditionError(f"{node.function}(...) needs a '*' path: it runs over the partners")
        if node.function in ("min", "max"):
            if kind != "number":
                raise ConditionError(f"{node.function}(...) takes a number")
            return "number"
        if kind not in ("bool", "number", "list"):
            raise ConditionError(f"{node.function}(...) takes a condition")
        return "bool"
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover - the parser makes no other nodes


def _has_wildcard(node: Node) -> bool:
    if isinstance(node, FactPath):
        return "*" in node.parts
    if isinstance(node, Negate | Not):
        return _has_wildcard(node.operand)
    if isinstance(node, Arithmetic | Compare):
        return _has_wildcard(node.left) or _has_wildcard(node.right)
    if isinstance(node, Logic):
        return any(_has_wildcard(operand) for operand in node.operands)
    if isinstance(node, Call):
        return _has_wildcard(node.argument)
    return False


def check_condition(text: str, schema: Schema) -> Node:
    """Parse a condition and check every path against the schema of the facts; the tree when all is well."""
    node = parse_condition(text)
    if _check(node, schema, None) not in ("bool", "number", "list"):
        raise ConditionError("a condition must be a comparison, a number or a list")
    return node


Value: TypeAlias = Any  # None, bool, int, float, str or list, as read from the facts


def lookup(path: FactPath, facts: Mapping[str, Any], partner: str | None) -> Value:
    """The value a path names in the facts, ``*`` being the partner given."""
    value: Any = facts
    for depth, part in enumerate(path.parts):
        key = partner if part == "*" else part
        if not isinstance(value, Mapping) or key not in value:
            shown = ".".join([*path.parts[:depth], str(key)])
            raise GuidanceError(f"the facts have no {shown!r}")
        value = value[key]
    return value


def _truth(value: Value) -> bool | None:
    """True, false, or None for unknown."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, list | tuple):
        return len(value) > 0
    raise GuidanceError(f"{value!r} is neither a condition, a number nor a list")


def _compare(op: str, left: Value, right: Value) -> bool:
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    if op == "==":
        return bool(left == right)
    return bool(left != right)


def evaluate(node: Node, facts: Mapping[str, Any], partner: str | None = None) -> Value:
    """The value of a checked condition tree over the facts (``build_facts``); None means null/unknown."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Null):
        return None
    if isinstance(node, Always):
        return True
    if isinstance(node, FactPath):
        return lookup(node, facts, partner)
    if isinstance(node, Negate):
        value = evaluate(node.operand, facts, partner)
        return None if value is None else -value
    if isinstance(node, Arithmetic):
        left, right = evaluate(node.left, facts, partner), evaluate(node.right, facts, partner)
        if left is None or right is None:
            return None
        return left + right if node.op == "+" else left - right
    if isinstance(node, Compare):
        left, right = evaluate(node.left, facts, partner), evaluate(node.right, facts, partner)
        if isinstance(node.left, Null) or isinstance(node.right, Null):
            present = (right if isinstance(node.left, Null) else left) is not None
            return not present if node.op == "==" else present
        if left is None or right is None:
            return None
        return _compare(node.op, left, right)
    if isinstance(node, Not):
        truth = _truth(evaluate(node.operand, facts, partner))
        return None if truth is None else not truth
    if isinstance(node, Logic):
        truths = [_truth(evaluate(operand, facts, partner)) for operand in node.operands]
        return _kleene(node.op == "or", truths)
    if isinstance(node, Call):
        if node.function == "len":
            items = evaluate(node.argument, facts, partner)
            return None if items is None else len(items)
        values = [evaluate(node.argument, facts, handle) for handle in partners(facts)]
        if node.function in ("min", "max"):
            known = [v for v in values if v is not None]
            if not known:
                return None
            return min(known) if node.function == "min" else max(known)
        return _kleene(node.function == "any_partner", [_truth(v) for v in values])
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def _kleene(any_of: bool, truths: Sequence[bool | None]) -> bool | None:
    """Three-valued 'or' (any_of) or 'and' over truths, None being unknown."""
    if any_of:
        if any(t is True for t in truths):
            return True
        return None if any(t is None for t in truths) else False
    if any(t is False for t in truths):
        return False
    return None if any(t is None for t in truths) else True


def holds(node: Node, facts: Mapping[str, Any]) -> bool:
    """Whether a condition brings its piece up: unknown (missing data) counts as no."""
    return _truth(evaluate(node, facts)) is True
