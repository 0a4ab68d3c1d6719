"""Front matter: the block of ``key: value`` lines between ``---`` lines at the top of a content file.

Strict on purpose, and no YAML library: the file starts with a ``---`` line and the block ends at the next
one; each line is ``key: value``, ``key:`` followed by ``- item`` lines, a blank line or a ``#`` comment. A
value is an integer, ``[a, b]`` (items may be quoted to hold commas), or a string (bare or wholly quoted).
The checks every kind of piece shares (known keys, a kebab-case id equal to the file name, non-empty texts,
a priority from 1 to 100) live here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias, TypeVar

from content.errors import ConditionError, GuidanceError

T = TypeVar("T")

__all__ = [
    "FrontValue",
    "check_keys",
    "markdown_files",
    "parse_front_matter",
    "piece_id",
    "priority",
    "required_text",
    "text_value",
]

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


def parse_front_matter(text: str, where: str = "content file") -> tuple[dict[str, FrontValue], str]:
    """The front matter (strings, integers and lists) and the body of a content file (see the module)."""
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


def read_front(
    path: Path, required: Sequence[str], optional: Sequence[str]
) -> tuple[str, dict[str, FrontValue], str]:
    """A content file's front matter, its keys checked, and its body: ``(where, values, body)``."""
    where = str(path)
    values, body = parse_front_matter(path.read_text(encoding="utf-8"), where)
    check_keys(values, required, optional, where)
    return where, values, body


def check_keys(
    values: Mapping[str, FrontValue], required: Sequence[str], optional: Sequence[str], where: str
) -> None:
    """Refuse a key that is neither required nor optional, and a required key that is missing."""
    unknown = sorted(set(values) - set(required) - set(optional))
    if unknown:
        raise GuidanceError(f"{where}: unknown front matter key(s) {unknown}")
    missing = [key for key in required if key not in values]
    if missing:
        raise GuidanceError(f"{where}: missing front matter key(s) {missing}")


def text_value(values: Mapping[str, FrontValue], key: str, where: str) -> str | None:
    """The stripped string under ``key`` (None when absent); refuses an empty or non-string value."""
    if key not in values:
        return None
    value = values[key]
    if not isinstance(value, str) or not value.strip():
        raise GuidanceError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def required_text(values: Mapping[str, FrontValue], key: str, where: str) -> str:
    """The stripped string under a key that ``check_keys`` found present."""
    found = text_value(values, key, where)
    if found is None:
        raise GuidanceError(f"{where}: missing front matter key(s) {[key]}")
    return found


def piece_id(values: Mapping[str, FrontValue], path: Path) -> str:
    """The piece's id: kebab-case and the same as the file name."""
    found = required_text(values, "id", str(path))
    if not _ID.fullmatch(found):
        raise GuidanceError(f"{path}: id {found!r} is not kebab-case")
    if found != path.stem:
        raise GuidanceError(f"{path}: id {found!r} differs from the file name {path.stem!r}")
    return found


def priority(values: Mapping[str, FrontValue], where: str) -> int:
    """The piece's priority: an integer from 1 to 100."""
    value = values.get("priority")
    if not isinstance(value, int) or not 1 <= value <= 100:
        raise GuidanceError(f"{where}: priority must be an integer from 1 to 100")
    return value


def markdown_files(folder: Path, what: str) -> list[Path]:
    """The ``*.md`` files of a content folder, sorted; GuidanceError when there is none."""
    if not folder.is_dir():
        raise GuidanceError(f"{folder}: no such {what} folder")
    files = sorted(folder.glob("*.md"))
    if not files:
        raise GuidanceError(f"{folder}: the {what} folder holds no .md file")
    return files


def load_pieces(files: Sequence[Path], read: Callable[[Path], T], trouble: str) -> list[T]:
    """Every file (of `markdown_files`) read by ``read``, in order. GuidanceError naming each bad file at
    once, after ``trouble`` ("the guidance library has problems")."""
    pieces: list[T] = []
    problems: list[str] = []
    for path in files:
        try:
            pieces.append(read(path))
        except GuidanceError as error:
            problems.append(str(error))
    if problems:
        raise GuidanceError(f"{trouble}:\n" + "\n".join(problems))
    return pieces


def checked(where: str, key: str, check: Callable[[], T]) -> T:
    """``check()`` of one front-matter value (a condition or a template); its ConditionError becomes a
    GuidanceError naming the file and the key."""
    try:
        return check()
    except ConditionError as error:
        raise GuidanceError(f"{where}: {key}: {error}") from error
