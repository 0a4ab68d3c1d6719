"""The guidance library: the pieces of ``content/guidance/`` that fit a couple's numbers.

The library is data: one Markdown file per piece, each with a front matter block (``content.frontmatter``)
holding ``id``, ``title``, ``summary``, ``when`` (a condition, ``content.conditions``), ``priority``,
``sources`` and optionally ``reason`` (a text template, ``content.templates``). ``load_library`` reads and
checks every file at start-up against the schema of the metrics it is given; ``Library.select`` returns
the pieces whose condition holds for a metrics object, ranked. Pure Python on purpose: the dashboard and
the counselor report both use it.

Ranking: ``select`` puts every ``always`` piece first (the safety note, which also carries priority 100),
then the others by priority, highest first, ties by id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from content import GUIDANCE_DIR
from content.conditions import holds
from content.errors import GuidanceError
from content.facts import Extras, Metrics, build_facts, facts_schema
from content.frontmatter import load_pieces, markdown_files, text_value
from content.pieces import read_piece
from content.schema import Schema
from content.syntax import Always, Node
from content.templates import render_template

__all__ = ["OPTIONAL_KEYS", "REQUIRED_KEYS", "GuidancePiece", "Library", "Suggestion", "load_library"]

REQUIRED_KEYS: Final = ("id", "title", "summary", "when", "priority", "sources")
OPTIONAL_KEYS: Final = ("reason",)


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


def _piece_from_file(path: Path, schema: Schema) -> GuidancePiece:
    """One checked piece; ``schema`` is the schema of the facts (metrics and derived facts)."""
    piece = read_piece(path, REQUIRED_KEYS, OPTIONAL_KEYS)
    title, summary = piece.text("title"), piece.text("summary")
    reason = text_value(piece.values, "reason", piece.where)
    sources = piece.values["sources"]
    if not isinstance(sources, list) or not sources or not all(s.strip() for s in sources):
        raise GuidanceError(f"{piece.where}: sources must be a list of at least one non-empty source")
    if not piece.body:
        raise GuidanceError(f"{piece.where}: the body is empty")
    condition = piece.condition(schema)
    if reason is not None:
        piece.check_template("reason", reason, schema)
    return GuidancePiece(
        id=piece.id,
        title=title,
        summary=summary,
        when=piece.when,
        priority=piece.priority,
        sources=tuple(s.strip() for s in sources),
        body=piece.body,
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
                    reason=render_template(piece.reason, facts) if piece.reason else None,
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


def load_library(folder: Path | str | None = None, *, schema: Schema) -> Library:
    """Read and check every ``*.md`` file of the folder (default ``content/guidance``).

    ``schema`` describes the metrics object the pieces will be chosen by (``projections.schema``); the
    derived facts are added to it. Raises GuidanceError naming each bad file: a front matter key missing or
    unknown, a value of the wrong type, an id other than the file name, a condition or reason that does not
    parse or names an unknown fact. Meant to run at start-up, so a broken piece is never a silent miss.
    """
    files = markdown_files(Path(folder) if folder is not None else GUIDANCE_DIR, "guidance")
    known = facts_schema(schema)
    pieces = load_pieces(
        files, lambda path: _piece_from_file(path, known), "the guidance library has problems"
    )
    return Library(tuple(sorted(pieces, key=_rank)))
