"""Observations: the short sentences of the counselor report on what improved and what needs attention.

One Markdown file per observation in ``content/observations/``, with a front matter block
(``content.frontmatter``) holding ``id``, ``section`` (``improved`` or ``attention``), ``when`` (a condition,
``content.conditions``) and ``priority``; the body is the sentence, a text template (``content.templates``)
whose lines are joined into one. ``load_observations`` checks every file at load against the schema of
the metrics it is given, plus any named constants (numbers the caller owns, such as the fewest bids a
reference needs), which conditions and sentences may name like facts. ``Observations.select`` gives the
sentences whose condition holds, per section, highest priority first, ties by id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TypeAlias

from content import OBSERVATIONS_DIR
from content.conditions import holds
from content.errors import GuidanceError
from content.facts import Metrics, build_facts, facts_schema
from content.frontmatter import load_pieces, markdown_files
from content.pieces import read_piece
from content.schema import Schema, SchemaNode
from content.syntax import Node
from content.templates import render_template

__all__ = ["SECTIONS", "Observation", "Observations", "Section", "load_observations"]

Section: TypeAlias = Literal["improved", "attention"]
SECTIONS: Final[tuple[Section, ...]] = ("improved", "attention")
KEYS: Final = ("id", "section", "when", "priority")


@dataclass(frozen=True)
class Observation:
    """One file of ``content/observations/``, checked."""

    id: str
    section: Section
    when: str
    priority: int
    sentence: str  # a text template
    condition: Node = field(compare=False, repr=False)
    path: Path | None = field(default=None, compare=False)


def _section(value: str, where: str) -> Section:
    for section in SECTIONS:
        if value == section:
            return section
    raise GuidanceError(f"{where}: section must be one of {list(SECTIONS)}, not {value!r}")


def _observation_from_file(path: Path, schema: Schema) -> Observation:
    piece = read_piece(path, KEYS, ())
    section = _section(piece.text("section"), piece.where)
    sentence = " ".join(piece.body.split())
    if not sentence:
        raise GuidanceError(f"{piece.where}: the sentence (the body) is empty")
    condition = piece.condition(schema)
    piece.check_template("sentence", sentence, schema)
    return Observation(piece.id, section, piece.when, piece.priority, sentence, condition, path)


@dataclass(frozen=True)
class Observations:
    """The checked observations, highest priority first, and the constants their conditions name."""

    items: tuple[Observation, ...]
    constants: Mapping[str, float] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Observation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def select(self, metrics: Metrics) -> dict[Section, list[str]]:
        """The filled sentences whose condition holds for the metrics (SPEC section 4 object), per section."""
        facts = {**build_facts(metrics), **self.constants}
        chosen: dict[Section, list[str]] = {section: [] for section in SECTIONS}
        for item in self.items:
            if holds(item.condition, facts):
                chosen[item.section].append(render_template(item.sentence, facts))
        return chosen


def load_observations(
    folder: Path | str | None = None, *, schema: Schema, constants: Mapping[str, float] | None = None
) -> Observations:
    """Read and check every ``*.md`` file of the folder (default ``content/observations``).

    ``schema`` describes the metrics object (``projections.schema``); the derived facts and the
    ``constants`` (each a number) are added to it. Raises GuidanceError naming each bad file.
    """
    files = markdown_files(Path(folder) if folder is not None else OBSERVATIONS_DIR, "observations")
    given = dict(constants or {})
    known = facts_schema(schema)
    clash = sorted(set(given) & set(known))
    if clash:
        raise GuidanceError(f"constants would shadow facts: {clash}")
    number: SchemaNode = "number"
    known = {**known, **dict.fromkeys(given, number)}
    items = load_pieces(
        files, lambda path: _observation_from_file(path, known), "the observations have problems"
    )
    return Observations(tuple(sorted(items, key=lambda item: (-item.priority, item.id))), given)
