"""What every kind of piece file shares (a guidance piece, an observation): its front matter read and its
keys checked, its id (the file name), its ``when`` condition checked against the schema of the facts, its
priority, and the check of a text template it holds. Each kind reads its own keys on top
(``content.library``, ``content.observations``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.conditions import check_condition
from content.frontmatter import FrontValue, checked, piece_id, priority, read_front, required_text
from content.schema import Schema
from content.syntax import Node
from content.templates import check_template


@dataclass(frozen=True)
class PieceFile:
    """A piece file read: where it is, its front matter values and body, and what every piece holds."""

    path: Path
    where: str  # the file, as errors name it
    values: dict[str, FrontValue]
    body: str
    id: str
    when: str
    priority: int

    def text(self, key: str) -> str:
        """The non-empty string under a required key."""
        return required_text(self.values, key, self.where)

    def condition(self, schema: Schema) -> Node:
        """The ``when`` condition, checked against the schema of the facts."""
        return checked(self.where, "when", lambda: check_condition(self.when, schema))

    def check_template(self, key: str, template: str, schema: Schema) -> None:
        """Refuse a text template (under ``key``) that does not parse or names an unknown fact."""
        checked(self.where, key, lambda: check_template(template, schema))


def read_piece(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> PieceFile:
    """A piece file's front matter (only the keys given), its id, ``when`` and priority checked."""
    where, values, body = read_front(path, required, optional)
    return PieceFile(
        path=path,
        where=where,
        values=values,
        body=body,
        id=piece_id(values, path),
        when=required_text(values, "when", where),
        priority=priority(values, where),
    )
