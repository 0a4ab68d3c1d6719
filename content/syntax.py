"""The syntax of conditions: tokens, the tree of a condition, and the parser that makes it.

Tokenized and parsed by hand into a tree of small dataclasses; nothing is ever handed to ``eval`` or
``exec``, and any character outside the grammar is refused by the tokenizer. Grammar::

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

Precedence, loosest first: ``or``, ``and``, ``not``, comparison, ``+``/``-``, unary minus. What a tree
means, and which trees are refused for naming unknown facts or mixing kinds, is ``content.conditions``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from content.errors import ConditionError

__all__ = [
    "Always",
    "Arithmetic",
    "Call",
    "Compare",
    "FactPath",
    "Logic",
    "Negate",
    "Node",
    "Not",
    "Null",
    "Number",
    "Token",
    "parse_condition",
    "tokenize",
]

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
        return self._logic("or", self._and)

    def _and(self) -> Node:
        return self._logic("and", self._not)

    def _logic(self, op: Literal["and", "or"], operand: Callable[[], Node]) -> Node:
        """One or more `operand`s joined by `op`: the operand alone, or their `Logic`."""
        operands = [operand()]
        while self._at(op):
            self._advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else Logic(op, tuple(operands))

    def _not(self) -> Node:
        return self._prefixed("not", Not, self._comparison)

    def _prefixed(self, token: str, wrap: Callable[[Node], Node], operand: Callable[[], Node]) -> Node:
        """An `operand` after any number of the prefix `token`, each wrapped (innermost first)."""
        if self._at(token):
            self._advance()
            return wrap(self._prefixed(token, wrap, operand))
        return operand()

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
        return self._prefixed("-", Negate, self._primary)

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
