"""Guidance: choose the pieces of the guidance library that fit a couple's numbers.

The library is data: one Markdown file per piece in ``content/guidance/``, each with a front matter block
between ``---`` lines (``id``, ``title``, ``summary``, ``when``, ``priority``, ``sources`` and optionally
``reason``). ``load_library`` reads and checks every file at start-up; ``Library.select`` returns the pieces
whose condition holds for a metrics object (SPEC section 4, "Machine-readable form"), highest priority first.
Pure Python on purpose: the dashboard and the counselor report both use it.

Conditions
==========
A condition is a small expression over *facts*: the metrics object plus the derived facts of
``DERIVED_FACTS``. It is tokenized and parsed by hand into a tree of small dataclasses and evaluated by
walking that tree; nothing is ever handed to ``eval`` or ``exec``. Grammar::

    condition  := "always" | or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]     (no chains: a < b < c is refused)
    sum        := unary (("+" | "-") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | "null" | path | call | "(" or_expr ")"
    call       := ("any_partner" | "all_partners" | "min" | "max" | "len") "(" or_expr ")"
    path       := NAME ("." (NAME | "*"))*
    NAME       := [a-z][a-z0-9_]*        NUMBER := [0-9]+ ["." [0-9]+]

Precedence, loosest first: ``or``, ``and``, ``not``, comparison, ``+``/``-``, unary minus.

- A *path* names a fact: ``repair.acceptance_rate``, ``conflicts.horsemen.contempt``, ``trust_trend``.
  Paths are checked at load against ``METRICS_SCHEMA`` and the derived facts: a path that names nothing,
  or names a group rather than a value, is refused.
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

Reason templates
================
``reason`` is plain text with placeholders ``{path}`` or ``{path:format}``; ``path`` is any fact path as
above (a ``*`` path lists both partners side by side, "ana: 12, ben: 15", never ranked). Formats: ``%``
(0.38 → "38%"), ``.Nf`` (N decimals) or ``.N%``. Without a format, a whole number prints as is and any other
number with at most two decimals. A null value prints as "—"; a list prints comma-separated ("none" when
empty). Placeholders are checked at load like conditions.

Ranking
=======
``select`` puts every ``always`` piece first (the safety note, which also carries priority 100), then the
others by priority, highest first, ties by id.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from content import GUIDANCE_DIR

__all__ = [
    "DERIVED_FACTS",
    "METRICS_SCHEMA",
    "ConditionError",
    "DerivedFact",
    "GuidanceError",
    "GuidancePiece",
    "Library",
    "Suggestion",
    "build_facts",
    "check_condition",
    "evaluate",
    "holds",
    "load_library",
    "parse_condition",
    "parse_front_matter",
    "render_reason",
]


class GuidanceError(ValueError):
    """The guidance library, a condition or a metrics object is not as it must be."""


class ConditionError(GuidanceError):
    """A condition or reason template that does not tokenize, parse or check."""


# --------------------------------------------------------------------------------------------------
# The facts: the metrics object of SPEC section 4 and the derived facts
# --------------------------------------------------------------------------------------------------

#: A schema leaf is the kind of a value: "int", "number" (never null), "number?" (null when over nothing),
#: "list" or "string". A mapping is an object; the key "*" stands for any partner handle.
SchemaNode: TypeAlias = "str | Mapping[str, SchemaNode]"

_REPAIR: Final[Mapping[str, SchemaNode]] = {
    "offered": "int",
    "accepted": "int",
    "declined": "int",
    "pending": "int",
    "acceptance_rate": "number?",
}
_PROMISES: Final[Mapping[str, SchemaNode]] = {
    "due": "int",
    "kept": "int",
    "kept_late": "int",
    "broken": "int",
    "lapsed": "int",
    "open": "int",
    "keeping_rate": "number?",
}
_CHECK_INS: Final[Mapping[str, SchemaNode]] = {
    "count": "int",
    "mean_closeness": "number?",
    "mean_trust": "number?",
    "csi4_count": "int",
    "mean_csi4": "number?",
    "csi4_below_cutoff": "int",
}

#: The metrics object, exactly as SPEC section 4 "Machine-readable form" shapes it.
METRICS_SCHEMA: Final[Mapping[str, SchemaNode]] = {
    "couple": "string",
    "as_of": "string",
    "window_days": "int",
    "repair": {**_REPAIR, "by_partner": {"*": _REPAIR}},
    "promises": {**_PROMISES, "by_partner": {"*": _PROMISES}},
    "trust_consistency": {
        "score": "number",
        "weight": "number",
        "by_partner": {"*": "number"},
        "weight_by_partner": {"*": "number"},
    },
    "check_ins": {"count": "int", "by_partner": {"*": _CHECK_INS}},
    "bids": {
        "total": "int",
        "toward": "int",
        "away": "int",
        "against": "int",
        "turn_toward_rate": "number?",
    },
    "positive_negative": {"positive": "int", "negative": "int", "ratio": "number?"},
    "conflicts": {
        "started": "int",
        "resolved": "int",
        "horsemen": {"criticism": "int", "contempt": "int", "defensiveness": "int", "stonewalling": "int"},
        "recurring_topics": "list",
        "repaired": "int",
        "median_minutes_to_repair": "number?",
    },
    "weekly": "list",
}

Metrics: TypeAlias = Mapping[str, Any]
#: Optional input beside the metrics: ``{"last_check_in": {handle: ISO time with offset, or None}}``.
Extras: TypeAlias = Mapping[str, Any]
EXTRAS_KEYS: Final = frozenset({"last_check_in"})


def _at(metrics: Metrics, *keys: str) -> Any:
    """metrics[k1][k2]..., or a clear error naming the path that is missing."""
    value: Any = metrics
    for depth, key in enumerate(keys):
        if not isinstance(value, Mapping) or key not in value:
            raise GuidanceError(f"the metrics object has no {'.'.join(keys[: depth + 1])!r}")
        value = value[key]
    return value


def _partners(metrics: Metrics) -> list[str]:
    """The partner handles, in the order the metrics object lists them."""
    handles: list[str] = []
    for group in ("repair", "promises", "trust_consistency", "check_ins"):
        by_partner = _at(metrics, group, "by_partner")
        if not isinstance(by_partner, Mapping):
            raise GuidanceError(f"the metrics object's {group}.by_partner is not an object")
        handles.extend(handle for handle in by_partner if handle not in handles)
    return handles


def _as_of(metrics: Metrics) -> datetime:
    text = _at(metrics, "as_of")
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError as error:
        raise GuidanceError(f"the metrics object's as_of is not an ISO time: {text!r}") from error
    if moment.tzinfo is None:
        raise GuidanceError(f"the metrics object's as_of has no offset: {text!r}")
    return moment.astimezone(UTC)


def _weekly(metrics: Metrics) -> list[Mapping[str, Any]]:
    rows = _at(metrics, "weekly")
    if not isinstance(rows, list):
        raise GuidanceError("the metrics object's weekly is not a list")
    return rows


def _days_since_last_check_in(metrics: Metrics, extras: Extras) -> dict[str, int | None]:
    as_of = _as_of(metrics)
    given: Mapping[str, Any] = extras.get("last_check_in") or {}
    days: dict[str, int | None] = {}
    for handle in _partners(metrics):
        if handle in given:
            last = given[handle]
            if last is None:
                days[handle] = None
                continue
            moment = datetime.fromisoformat(str(last))
            if moment.tzinfo is None:
                raise GuidanceError(f"extras last_check_in for {handle!r} has no offset: {last!r}")
            days[handle] = max(0, math.floor((as_of - moment) / timedelta(days=1)))
            continue
        days[handle] = None
        for row in reversed(_weekly(metrics)):
            if (row.get("by_partner", {}).get(handle) or {}).get("check_ins", 0) > 0:
                days[handle] = max(0, (as_of.date() - date.fromisoformat(row["week_start"])).days)
                break
    return days


def _max_days_since_last_check_in(metrics: Metrics, extras: Extras) -> int | None:
    known = [d for d in _days_since_last_check_in(metrics, extras).values() if d is not None]
    return max(known) if known else None


def _trust_trend(metrics: Metrics, extras: Extras) -> float | None:
    rows = _weekly(metrics)
    if len(rows) < 2:
        return None
    last, before = rows[-1].get("trust_consistency"), rows[-2].get("trust_consistency")
    if last is None or before is None:
        return None
    return float(last) - float(before)


def _weeks_of_data(metrics: Metrics, extras: Extras) -> int:
    return len(_weekly(metrics))


def _min_partner_csi4(metrics: Metrics, extras: Extras) -> float | None:
    by_partner = _at(metrics, "check_ins", "by_partner")
    means = [row.get("mean_csi4") for row in by_partner.values()]
    known = [float(m) for m in means if m is not None]
    return min(known) if known else None


@dataclass(frozen=True)
class DerivedFact:
    """A fact computed from the metrics object (and the optional extras), named like a metric."""

    description: str
    schema: SchemaNode
    compute: Callable[[Metrics, Extras], Any]


#: Every derived fact, in one place. Conditions and reason templates name them like metrics.
DERIVED_FACTS: Final[Mapping[str, DerivedFact]] = {
    "days_since_last_check_in": DerivedFact(
        "Per partner (use *): whole days since that partner's last check-in, over all the weekly rows, "
        "not only the window. With extras['last_check_in'][handle] (an ISO time, or None for none): "
        "floor((as_of - that time) / 24 h). Otherwise: the days from the week_start (a Monday) of the last "
        "weekly row whose by_partner[handle].check_ins > 0 to the UTC date of as_of, so up to 6 days more "
        "than the truth. Never below 0; null when the partner has no check-in.",
        {"*": "number?"},
        _days_since_last_check_in,
    ),
    "max_days_since_last_check_in": DerivedFact(
        "The largest days_since_last_check_in over the partners, nulls left out; null when neither partner "
        "has a check-in.",
        "number?",
        _max_days_since_last_check_in,
    ),
    "trust_trend": DerivedFact(
        "weekly[-1].trust_consistency - weekly[-2].trust_consistency: the week-on-week change of the "
        "trust-consistency score over the last two weekly rows (the last row is the week holding as_of, "
        "scored as of as_of). Null with fewer than two rows.",
        "number?",
        _trust_trend,
    ),
    "weeks_of_data": DerivedFact(
        "len(weekly): the weeks from the week of the couple's first entry to the week holding as_of, "
        "empty weeks included; 0 when nothing is logged.",
        "int",
        _weeks_of_data,
    ),
    "min_partner_csi4": DerivedFact(
        "The lowest check_ins.by_partner[handle].mean_csi4 over the partners (in the window), nulls left "
        "out; null when neither partner answered the CSI-4 in the window.",
        "number?",
        _min_partner_csi4,
    ),
}

FACTS_SCHEMA: Final[Mapping[str, SchemaNode]] = {
    **METRICS_SCHEMA,
    **{name: fact.schema for name, fact in DERIVED_FACTS.items()},
}
if set(METRICS_SCHEMA) & set(DERIVED_FACTS):  # pragma: no cover - a mistake in this module
    raise GuidanceError(f"derived facts shadow metrics: {sorted(set(METRICS_SCHEMA) & set(DERIVED_FACTS))}")


def build_facts(metrics: Metrics, extras: Extras | None = None) -> dict[str, Any]:
    """The metrics object with every derived fact added under its name."""
    extras = extras or {}
    unknown = set(extras) - EXTRAS_KEYS
    if unknown:
        raise GuidanceError(f"unknown extras {sorted(unknown)}; known: {sorted(EXTRAS_KEYS)}")
    facts = dict(metrics)
    for name, fact in DERIVED_FACTS.items():
        facts[name] = fact.compute(metrics, extras)
    return facts


# --------------------------------------------------------------------------------------------------
# Conditions: tokens, tree, parser, checker, evaluator
# --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>[a-z][a-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|<|>|\+|-|\(|\)|\.|\*)"
)
_COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_AGGREGATES: Final = frozenset({"any_partner", "all_partners", "min", "max"})
_CALLS: Final = _AGGREGATES | {"len"}
_KEYWORDS: Final = frozenset({"and", "or", "not", "null", "always"}) | _CALLS


TokenKind: TypeAlias = Literal["number", "name", "op", "end"]
_TOKEN_KINDS: Final[Mapping[str, TokenKind]] = {"number": "number", "name": "name", "op": "op"}


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    column: int  # 1-based


def tokenize(text: str) -> list[Token]:
    """The tokens of a condition; any character outside the grammar is refused here."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ConditionError(f"unexpected character {text[position]!r} at column {position + 1}")
        kind = _TOKEN_KINDS.get(match.lastgroup or "space")
        if kind is not None:
            tokens.append(Token(kind, match.group(), position + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Null:
    pass


@dataclass(frozen=True)
class Always:
    pass


@dataclass(frozen=True)
class FactPath:
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Arithmetic:
    op: Literal["+", "-"]
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    op: Literal["and", "or"]
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    function: str
    argument: Node


Node: TypeAlias = Number | Null | Always | FactPath | Negate | Not | Arithmetic | Compare | Logic | Call


class _Parser:
    """Recursive descent over the grammar in the module docstring."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def _at(self, *texts: str) -> bool:
        token = self.current
        return token.kind in ("op", "name") and token.text in texts

    def _fail(self, expected: str) -> ConditionError:
        token = self.current
        found = "the end" if token.kind == "end" else repr(token.text)
        return ConditionError(f"expected {expected} at column {token.column}, found {found}")

    def _at_end(self) -> bool:
        return self.current.kind == "end"

    def parse(self) -> Node:
        if self._at_end():
            raise ConditionError("the condition is empty")
        if self._at("always"):
            self._advance()
            if not self._at_end():
                raise ConditionError("'always' stands alone: nothing may follow it")
            return Always()
        node = self._or()
        if not self._at_end():
            raise self._fail("an operator or the end")
        return node

    def _or(self) -> Node:
        operands = [self._and()]
        while self._at("or"):
            self._advance()
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Logic("or", tuple(operands))

    def _and(self) -> Node:
        operands = [self._not()]
        while self._at("and"):
            self._advance()
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else Logic("and", tuple(operands))

    def _not(self) -> Node:
        if self._at("not"):
            self._advance()
            return Not(self._not())
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._sum()
        if self.current.kind == "op" and self.current.text in _COMPARISONS:
            op = self._advance().text
            right = self._sum()
            if self.current.kind == "op" and self.current.text in _COMPARISONS:
                raise ConditionError(
                    f"comparisons cannot be chained (column {self.current.column}): join them with 'and'"
                )
            return Compare(op, left, right)
        return left

    def _sum(self) -> Node:
        node = self._unary()
        while self._at("+", "-"):
            op: Literal["+", "-"] = "+" if self._advance().text == "+" else "-"
            node = Arithmetic(op, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._at("-"):
            self._advance()
            return Negate(self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self._advance()
            return Number(float(token.text))
        if token.kind == "op" and token.text == "(":
            self._advance()
            node = self._or()
            if not self._at(")"):
                raise self._fail("')'")
            self._advance()
            return node
        if token.kind == "name":
            if token.text == "null":
                self._advance()
                return Null()
            if token.text == "always":
                raise ConditionError(f"'always' stands alone (column {token.column})")
            if token.text in _CALLS:
                return self._call()
            if token.text in _KEYWORDS:
                raise self._fail("a value")
            return self._path()
        raise self._fail("a value")

    def _call(self) -> Node:
        function = self._advance().text
        if not self._at("("):
            raise self._fail(f"'(' after {function}")
        self._advance()
        argument = self._or()
        if not self._at(")"):
            raise self._fail(f"')' closing {function}(")
        self._advance()
        return Call(function, argument)

    def _path(self) -> FactPath:
        parts = [self._advance().text]
        while self._at("."):
            self._advance()
            token = self.current
            if token.kind == "name" or (token.kind == "op" and token.text == "*"):
                parts.append(self._advance().text)
            else:
                raise self._fail("a name or '*' after '.'")
        return FactPath(tuple(parts))


def parse_condition(text: str) -> Node:
    """The tree of a condition; ConditionError when it does not tokenize or parse."""
    return _Parser(text).parse()


Kind: TypeAlias = Literal["number", "bool", "list", "string", "null"]
_KIND_OF_LEAF: Final[Mapping[str, Kind]] = {
    "int": "number",
    "number": "number",
    "number?": "number",
    "list": "list",
    "string": "string",
}


def _resolve_schema(path: FactPath, schema: Mapping[str, SchemaNode]) -> tuple[Kind, bool]:
    """The kind of value a path names and whether it goes through a partner wildcard."""
    node: SchemaNode = schema
    wildcard = False
    for depth, part in enumerate(path.parts):
        here = ".".join(path.parts[:depth]) or "the facts"
        if not isinstance(node, Mapping):
            raise ConditionError(f"{path.text!r}: {here} is a value, it has no {part!r}")
        if part == "*":
            if "*" not in node:
                raise ConditionError(f"{path.text!r}: '*' stands for a partner handle, and {here} has none")
            wildcard = True
            node = node["*"]
        elif part in node:
            node = node[part]
        elif "*" in node:
            raise ConditionError(
                f"{path.text!r}: partner handles are never written in a condition; write {here}.* inside "
                "any_partner(...), all_partners(...), min(...) or max(...)"
            )
        else:
            close = difflib.get_close_matches(part, [k for k in node if k != "*"], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConditionError(f"{path.text!r}: unknown fact {part!r} in {here}{hint}")
    if isinstance(node, Mapping):
        fields = ", ".join(sorted(node))
        raise ConditionError(f"{path.text!r} names a group, not a value; add one of: {fields}")
    return _KIND_OF_LEAF[node], wildcard


def _check(node: Node, schema: Mapping[str, SchemaNode], aggregate: str | None) -> Kind:
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
        kind, wildcard = _resolve_schema(node, schema)
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


def check_condition(text: str, schema: Mapping[str, SchemaNode] = FACTS_SCHEMA) -> Node:
    """Parse a condition and check every path against the schema of the facts; the tree when all is well."""
    node = parse_condition(text)
    if _check(node, schema, None) not in ("bool", "number", "list"):
        raise ConditionError("a condition must be a comparison, a number or a list")
    return node


Value: TypeAlias = Any  # None, bool, int, float, str or list, as read from the facts


def _lookup(path: FactPath, facts: Mapping[str, Any], partner: str | None) -> Value:
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
        return _lookup(node, facts, partner)
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
        values = [evaluate(node.argument, facts, handle) for handle in _partners(facts)]
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


# --------------------------------------------------------------------------------------------------
# Reason templates
# --------------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
_FORMAT = re.compile(r"%|\.[0-9][f%]")
NULL_TEXT: Final = "—"


def _placeholders(template: str) -> list[tuple[FactPath, str]]:
    """The placeholders of a reason template, each as (path, format); refuses stray braces."""
    found: list[tuple[FactPath, str]] = []
    for match in _PLACEHOLDER.finditer(template):
        text, spec = match.group(1).strip(), match.group(2) or ""
        node = parse_condition(text) if text else None
        if not isinstance(node, FactPath):
            raise ConditionError(f"reason placeholder {match.group()!r} must hold a fact path")
        if spec and not _FORMAT.fullmatch(spec):
            raise ConditionError(f"reason placeholder {match.group()!r}: the format must be %, .Nf or .N%")
        found.append((node, spec))
    if "{" in _PLACEHOLDER.sub("", template) or "}" in _PLACEHOLDER.sub("", template):
        raise ConditionError("reason: a '{' or '}' outside a {placeholder}")
    return found


def check_reason(template: str, schema: Mapping[str, SchemaNode] = FACTS_SCHEMA) -> None:
    """Check every placeholder of a reason template against the schema of the facts."""
    for path, _spec in _placeholders(template):
        _resolve_schema(path, schema)


def _show(value: Value, spec: str) -> str:
    if value is None:
        return NULL_TEXT
    if isinstance(value, list | tuple):
        return ", ".join(_show(item, spec) for item in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if spec == "%":
            return f"{value * 100:.0f}%"
        if spec:
            return format(value, spec)
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def render_reason(template: str, facts: Mapping[str, Any]) -> str:
    """The reason text with each placeholder filled from the facts."""
    specs = iter(_placeholders(template))

    def fill(match: re.Match[str]) -> str:
        path, spec = next(specs)
        if "*" in path.parts:
            return ", ".join(
                f"{handle}: {_show(_lookup(path, facts, handle), spec)}" for handle in _partners(facts)
            )
        return _show(_lookup(path, facts, None), spec)

    return _PLACEHOLDER.sub(fill, template)


# --------------------------------------------------------------------------------------------------
# The library: files, front matter, selection, search
# --------------------------------------------------------------------------------------------------

REQUIRED_KEYS: Final = ("id", "title", "summary", "when", "priority", "sources")
OPTIONAL_KEYS: Final = ("reason",)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?")
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(.*)")
_INTEGER = re.compile(r"-?[0-9]+")

FrontValue: TypeAlias = str | int | list[str]


def _scalar(text: str, where: str) -> str:
    """A string value: bare, or wholly in matching single or double quotes."""
    text = text.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        if len(text) < 2 or not text.endswith(quote) or quote in text[1:-1]:
            raise GuidanceError(f"{where}: a quoted value must be one string in matching {quote} quotes")
        return text[1:-1]
    return text


def _inline_list(text: str, where: str) -> list[str]:
    inner = text[1:-1].strip()
    if not inner:
        return []
    items: list[str] = []
    current = ""
    quote = ""
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
            current += char
        elif char == ",":
            items.append(current)
            current = ""
        else:
            current += char
    if quote:
        raise GuidanceError(f"{where}: unclosed quote in the list")
    items.append(current)
    return [_scalar(item, where) for item in items]


def parse_front_matter(text: str, where: str = "guidance file") -> tuple[dict[str, FrontValue], str]:
    """The front matter (strings, integers and lists) and the body of a guidance file.

    Strict on purpose: the file starts with a ``---`` line and the block ends at the next one; each line
    is ``key: value``, ``key:`` followed by ``- item`` lines, a blank line or a ``#`` comment. A value is an
    integer, ``[a, b]`` (items may be quoted to hold commas), or a string (bare or wholly quoted).
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise GuidanceError(f"{where}: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise GuidanceError(f"{where}: the front matter has no closing '---' line") from None
    values: dict[str, FrontValue] = {}
    open_list: str | None = None
    for number, line in enumerate(lines[1:end], start=2):
        at = f"{where}: line {number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _LIST_ITEM.fullmatch(line)
        if item is not None:
            target = values.get(open_list) if open_list else None
            if not isinstance(target, list):
                raise GuidanceError(f"{at}: a '- item' line must follow 'key:' with nothing after the colon")
            target.append(_scalar(item.group(1), at))
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            raise GuidanceError(f"{at}: expected 'key: value', found {line!r}")
        key, raw = match.group(1), (match.group(2) or "").strip()
        if key in values:
            raise GuidanceError(f"{at}: {key!r} is given twice")
        open_list = None
        if not raw:
            values[key] = []
            open_list = key
        elif raw.startswith("["):
            if not raw.endswith("]"):
                raise GuidanceError(f"{at}: a list in [...] must close on the same line")
            values[key] = _inline_list(raw, at)
        elif _INTEGER.fullmatch(raw):
            values[key] = int(raw)
        else:
            values[key] = _scalar(raw, at)
    body = "\n".join(lines[end + 1 :]).strip()
    return values, body


@dataclass(frozen=True)
class GuidancePiece:
    """One file of the library, checked."""

    id: str
    title: str
    summary: str
    when: str
    priority: int
    sources: tuple[str, ...]
    body: str
    reason: str | None = None
    condition: Node = field(default_factory=Always, compare=False, repr=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def always(self) -> bool:
        return isinstance(self.condition, Always)


@dataclass(frozen=True)
class Suggestion:
    """A piece that fits the numbers, with the reason it was chosen filled in."""

    id: str
    title: str
    summary: str
    body: str
    priority: int
    sources: tuple[str, ...]
    reason: str | None  # the filled reason template; None when the piece has none
    when: str  # the condition that brought it up, for transparency
    always: bool  # shown whatever the numbers (the safety note)


def _piece_from_file(path: Path) -> GuidancePiece:
    where = str(path)
    values, body = parse_front_matter(path.read_text(encoding="utf-8"), where)
    unknown = sorted(set(values) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise GuidanceError(f"{where}: unknown front matter key(s) {unknown}")
    missing = [key for key in REQUIRED_KEYS if key not in values]
    if missing:
        raise GuidanceError(f"{where}: missing front matter key(s) {missing}")
    texts: dict[str, str] = {}
    for key in ("id", "title", "summary", "when", "reason"):
        if key not in values:
            continue
        value = values[key]
        if not isinstance(value, str) or not value.strip():
            raise GuidanceError(f"{where}: {key} must be a non-empty string")
        texts[key] = value.strip()
    if not _ID.fullmatch(texts["id"]):
        raise GuidanceError(f"{where}: id {texts['id']!r} is not kebab-case")
    if texts["id"] != path.stem:
        raise GuidanceError(f"{where}: id {texts['id']!r} differs from the file name {path.stem!r}")
    priority = values["priority"]
    if not isinstance(priority, int) or not 1 <= priority <= 100:
        raise GuidanceError(f"{where}: priority must be an integer from 1 to 100")
    sources = values["sources"]
    if not isinstance(sources, list) or not sources or not all(s.strip() for s in sources):
        raise GuidanceError(f"{where}: sources must be a list of at least one non-empty source")
    if not body:
        raise GuidanceError(f"{where}: the body is empty")
    try:
        condition = check_condition(texts["when"])
    except ConditionError as error:
        raise GuidanceError(f"{where}: when: {error}") from error
    reason = texts.get("reason")
    if reason is not None:
        try:
            check_reason(reason)
        except ConditionError as error:
            raise GuidanceError(f"{where}: reason: {error}") from error
    return GuidancePiece(
        id=texts["id"],
        title=texts["title"],
        summary=texts["summary"],
        when=texts["when"],
        priority=priority,
        sources=tuple(s.strip() for s in sources),
        body=body,
        reason=reason,
        condition=condition,
        path=path,
    )


def _rank(piece: GuidancePiece) -> tuple[bool, int, str]:
    return (not piece.always, -piece.priority, piece.id)


@dataclass(frozen=True)
class Library:
    """The checked pieces of guidance, safety note first, then by priority."""

    pieces: tuple[GuidancePiece, ...]

    def __iter__(self) -> Iterator[GuidancePiece]:
        return iter(self.pieces)

    def __len__(self) -> int:
        return len(self.pieces)

    def get(self, piece_id: str) -> GuidancePiece:
        for piece in self.pieces:
            if piece.id == piece_id:
                return piece
        raise KeyError(piece_id)

    def select(self, metrics: Metrics, extras: Extras | None = None) -> list[Suggestion]:
        """The pieces whose condition holds for the metrics (SPEC section 4 object), ranked."""
        facts = build_facts(metrics, extras)
        chosen: list[Suggestion] = []
        for piece in sorted(self.pieces, key=_rank):
            if not holds(piece.condition, facts):
                continue
            chosen.append(
                Suggestion(
                    id=piece.id,
                    title=piece.title,
                    summary=piece.summary,
                    body=piece.body,
                    priority=piece.priority,
                    sources=piece.sources,
                    reason=render_reason(piece.reason, facts) if piece.reason else None,
                    when=piece.when,
                    always=piece.always,
                )
            )
        return chosen

    def search(self, text: str) -> list[GuidancePiece]:
        """The pieces whose id, title, summary or body hold every word of the text (case-insensitive).

        Pieces with more of the words in their title come first, then the usual ranking. An empty text
        gives every piece.
        """
        words = re.findall(r"[\w']+", text.lower())
        hits: list[tuple[int, tuple[bool, int, str], GuidancePiece]] = []
        for piece in self.pieces:
            haystack = " ".join((piece.id, piece.title, piece.summary, piece.body)).lower()
            if all(word in haystack for word in words):
                in_title = sum(word in piece.title.lower() for word in words)
                hits.append((-in_title, _rank(piece), piece))
        return [piece for *_key, piece in sorted(hits, key=lambda hit: (hit[0], hit[1]))]


def load_library(folder: Path | str | None = None) -> Library:
    """Read and check every ``*.md`` file of the folder (default ``content/guidance``).

    Raises GuidanceError naming each bad file: a front matter key missing or unknown, a value of the wrong
    type, an id other than the file name, a condition or reason that does not parse or names an unknown
    fact. Meant to run at start-up, so a broken piece is never a silent miss.
    """
    directory = Path(folder) if folder is not None else GUIDANCE_DIR
    if not directory.is_dir():
        raise GuidanceError(f"{directory}: no such guidance folder")
    files = sorted(directory.glob("*.md"))
    if not files:
        raise GuidanceError(f"{directory}: the guidance folder holds no .md file")
    pieces: list[GuidancePiece] = []
    problems: list[str] = []
    for path in files:
        try:
            pieces.append(_piece_from_file(path))
        except GuidanceError as error:
            problems.append(str(error))
    if problems:
        raise GuidanceError("the guidance library has problems:\n" + "\n".join(problems))
    return Library(tuple(sorted(pieces, key=_rank)))
