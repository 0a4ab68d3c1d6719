"""How a schema of facts is written, and how a fact path is looked up in one.

The content package never knows the metrics object itself: whoever loads a library passes a schema in
(``projections.schema.METRICS_SCHEMA`` describes SPEC section 4's object). A schema is a mapping; each value
is either a leaf naming the kind of a value or a mapping for an object. Leaves:

- ``"int"``: a whole number, never null;
- ``"number"``: a number, never null;
- ``"number?"``: a number, null when it is over nothing (a rate or mean over no entries);
- ``"list"``: a list;
- ``"string"``: a string.

The key ``"*"`` stands for any partner handle: ``{"by_partner": {"*": {...}}}``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Final, Literal, TypeAlias

from content.errors import ConditionError

__all__ = ["LEAVES", "Kind", "Schema", "SchemaNode", "resolve"]

SchemaNode: TypeAlias = "str | Mapping[str, SchemaNode]"
Schema: TypeAlias = Mapping[str, SchemaNode]

#: The kind of value a condition works with.
Kind: TypeAlias = Literal["number", "bool", "list", "string", "null"]

#: Every leaf a schema may use, and the kind of value it names.
LEAVES: Final[Mapping[str, Kind]] = {
    "int": "number",
    "number": "number",
    "number?": "number",
    "list": "list",
    "string": "string",
}


def resolve(parts: Sequence[str], schema: Schema) -> tuple[Kind, bool]:
    """The kind of value a fact path names and whether it goes through a partner wildcard.

    ConditionError when the path names nothing, names a group rather than a value, or writes a handle.
    """
    text = ".".join(parts)
    node: SchemaNode = schema
    wildcard = False
    for depth, part in enumerate(parts):
        here = ".".join(parts[:depth]) or "the facts"
        if not isinstance(node, Mapping):
            raise ConditionError(f"{text!r}: {here} is a value, it has no {part!r}")
        if part == "*":
            if "*" not in node:
                raise ConditionError(f"{text!r}: '*' stands for a partner handle, and {here} has none")
            wildcard = True
            node = node["*"]
        elif part in node:
            node = node[part]
        elif "*" in node:
            raise ConditionError(
                f"{text!r}: partner handles are never written in a condition; write {here}.* inside "
                "any_partner(...), all_partners(...), min(...) or max(...)"
            )
        else:
            close = difflib.get_close_matches(part, [k for k in node if k != "*"], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConditionError(f"{text!r}: unknown fact {part!r} in {here}{hint}")
    if isinstance(node, Mapping):
        fields = ", ".join(sorted(node))
        raise ConditionError(f"{text!r} names a group, not a value; add one of: {fields}")
    if node not in LEAVES:
        raise ConditionError(f"{text!r}: the schema's leaf {node!r} is not one of {sorted(LEAVES)}")
    return LEAVES[node], wildcard
