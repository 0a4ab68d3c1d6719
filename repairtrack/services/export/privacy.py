"""What a counselor bundle may hold about the couple (SPEC section 6).

- Notes are left out unless asked for; a private note never leaves, whatever is asked. A retraction's
  `reason` is free text written like a note, so it follows the same rule. `description` and `topic`
  carry the meaning of a promise or a conflict and always stay.
- `--pseudonymize` replaces the partners' names by "Partner A"/"Partner B" (A is the partner listed
  first at registration), their handles by `partner-a`/`partner-b` and the couple's handle by `couple`,
  in every value and in free text, as whole words and case-insensitively: a handle `ana` becomes
  `partner-a` in "ana's turn", while "banana" stays "banana".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.vocabulary import ID_RE, MAX_TEXT, MAX_TOPIC

NOTE_FIELDS = ("note", "private")
FREE_TEXT = ("note", "description", "topic", "reason")
ID_FIELDS = ("id", "conflict", "attempt", "promise", "entry")
PARTNER_FIELDS = ("by", "logged_by")
PSEUDONYMS = (("partner-a", "Partner A"), ("partner-b", "Partner B"))
PSEUDONYM_COUPLE = "couple"
SHARED_NAME_PART = "[name]"  # a word both partners' names share (a family name) belongs to neither
_SPACES = re.compile(r"\s+")


def strip_notes(entry: Mapping[str, Any], *, include_notes: bool) -> dict[str, Any]:
    """The entry without the notes it may not carry out: every note (and its `private` flag) and
    every retraction reason unless `include_notes`; a private note always."""
    kept = dict(entry)
    if not include_notes or kept.get("private"):
        kept.pop("note", None)
    kept.pop("private", None)
    if not include_notes:
        kept.pop("reason", None)
    return kept


# ----------------------------------------------------------------------------------------------
# Matching (docs/spec-readings.md, Export): names are found in a folded copy of the text, NFKC and
# case folding, whose every character points back to the piece of the original it came from, so a
# replacement cuts the original at the edges of whole characters ("Straße" for "STRASSE").
# ----------------------------------------------------------------------------------------------
# Scripts written without spaces between words: a name in them is a word wherever it stands.
_NO_SPACE = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # CJK marks and the ideographic zero
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


def _no_space(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _NO_SPACE)


def _wordish(char: str) -> bool:
    """Letters, digits and the marks on them; an underscore joins words but is not part of one."""
    return char.isalnum() or unicodedata.category(char).startswith("M")


def edge(text: str, index: int, *, no_space: bool = True) -> bool:
    """Whether a word may begin or end between `text[index - 1]` and `text[index]`: at the ends, next
    to anything but a letter, digit or mark (spaces, punctuation, `_`, `-`), between a letter and a
    digit, at a camelCase step (`anaNote`, `ANANote`), and (with `no_space`) next to a character of a
    script written without spaces."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if not (_wordish(before) and _wordish(after)):
        return True
    if no_space and (_no_space(before) or _no_space(after)):
        return True
    if before.isdigit() != after.isdigit() and not unicodedata.category(after).startswith("M"):
        return True
    if before.islower() and (after.isupper() or after.istitle()):
        return True
    following = text[index + 1] if index + 1 < len(text) else ""
    return before.isupper() and after.isupper() and following.islower()


def fold(text: str) -> str:
    """The form names are compared in: NFKC, case folded, NFKC again ("STRASSE" = "straße")."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def name_words(name: str) -> list[str]:
    """The words of a display name that are replaced on their own: split where `edge` splits, except
    inside a run of a script without spaces; at least two characters, or one of such a script."""
    words: list[str] = []
    start: int | None = None
    for index in range(len(name) + 1):
        inside = index < len(name) and _wordish(name[index])
        if start is not None and (not inside or edge(name, index, no_space=False)):
            word = name[start:index]
            if len(word) >= 2 or any(_no_space(c) for c in word):
                words.append(word)
            start = None
        if inside and start is None:
            start = index
    return words


@dataclass(frozen=True)
class _Folded:
    """A text and its folded copy: `pieces[k]` is the original span folded character k came from."""

    original: str
    folded: str
    pieces: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> _Folded:
        # Pieces: a character together with what normalization would join to it (marks, jamo).
        spans: list[tuple[int, int]] = []
        for index, char in enumerate(text):
            if spans:
                start = spans[-1][0]
                joined = unicodedata.normalize("NFKC", text[start : index + 1])
                apart = unicodedata.normalize("NFKC", text[start:index]) + unicodedata.normalize("NFKC", char)
                if joined != apart or unicodedata.category(char).startswith("M"):
                    spans[-1] = (start, index + 1)
                    continue
            spans.append((index, index + 1))
        folded: list[str] = []
        pieces: list[tuple[int, int]] = []
        for span in spans:
            part = fold(text[span[0] : span[1]])
            folded.append(part)
            pieces.extend([span] * len(part))
        return cls(text, "".join(folded), tuple(pieces))


class _Matcher:
    """Finds folded terms as whole words (see `edge`) and replaces them, longest first."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self._replacements = {fold(t): r for t, r in replacements.items() if fold(t)}
        self._terms = sorted(self._replacements, key=lambda t: (-len(t), t))

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) in the original text, left to right, not overlapping."""
        copy = _Folded.of(text)
        found: list[tuple[int, int, str]] = []
        position, done = 0, 0
        while position < len(copy.folded):
            start = copy.pieces[position][0]
            hit = None
            if start >= done:
                for term in self._terms:
                    if copy.folded.startswith(term, position):
                        end = copy.pieces[position + len(term) - 1][1]
                        if edge(text, start) and edge(text, end):
                            hit = (start, end, self._replacements[term])
                            break
            if hit is None:
                position += 1
                continue
            found.append(hit)
            done = hit[1]
            while position < len(copy.folded) and copy.pieces[position][0] < done:
                position += 1
        return found

    def sub(self, text: str) -> str:
        parts: list[str] = []
        last = 0
        for start, end, replacement in self.matches(text):
            parts.append(text[last:start])
            parts.append(replacement)
            last = end
        parts.append(text[last:])
        return "".join(parts)

    def finds(self, text: str) -> bool:
        return bool(self.matches(text))


@dataclass
class Pseudonymizer:
    """Replaces who the couple is, consistently in every file of one bundle.

    Built from the couple's handle and its two partners (`{"handle", "name"}`, in registration
    order). `enabled=False` gives the identity, so callers need no second code path.
    """

    couple: str
    partners: Sequence[Mapping[str, str]]
    enabled: bool = True
    _ids: dict[str, str] = field(default_factory=dict, init=False)
    _taken: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        # Two spellings of each replacement: in free text a name reads "Partner A"; inside an entry id
        # (no spaces allowed) everything takes the handle form, `partner-a`. Terms are compared folded.
        in_text: dict[str, str] = {}  # folded term -> replacement
        in_ids: dict[str, str] = {}
        parts: dict[str, set[int]] = {}
        for index, partner in enumerate(self.partners):
            handle = PSEUDONYMS[index][0]
            in_text[fold(partner["handle"])] = handle
            in_ids[fold(partner["handle"])] = handle
            for part in name_words(partner["name"]):
                parts.setdefault(fold(part), set()).add(index)
        for index, partner in enumerate(self.partners):  # a name reads better than a handle
            in_text[fold(partner["name"])] = PSEUDONYMS[index][1]
            in_ids.setdefault(fold(partner["name"]), PSEUDONYMS[index][0])
        for part, owners in sorted(parts.items()):
            only = next(iter(owners)) if len(owners) == 1 else None
            if only is None:
                in_text.setdefault(part, SHARED_NAME_PART)
            else:  # "Ben" of "Ben Okafor" reads "Partner B", even when `ben` is also a handle
                in_text[part] = PSEUDONYMS[only][1]
            in_ids.setdefault(part, "name" if only is None else PSEUDONYMS[only][0])
        in_text[fold(self.couple)] = PSEUDONYM_COUPLE
        in_ids[fold(self.couple)] = PSEUDONYM_COUPLE
        self._in_text = _Matcher(in_text)
        self._in_ids = _Matcher(in_ids)
        self._id_terms = sorted({fold(t) for t in (*in_text, *in_ids)} - {""})
        self._handles = {p["handle"]: PSEUDONYMS[i][0] for i, p in enumerate(self.partners)}

    # ------------------------------------------------------------------------------------------
    # Identities.
    # ------------------------------------------------------------------------------------------
    @property
    def couple_handle(self) -> str:
        return PSEUDONYM_COUPLE if self.enabled else self.couple

    def handle(self, partner: str) -> str:
        return self._handles[partner] if self.enabled else partner

    def name(self, partner: str) -> str:
        index = [p["handle"] for p in self.partners].index(partner)
        return PSEUDONYMS[index][1] if self.enabled else self.partners[index]["name"]

    @property
    def names(self) -> list[str]:
        return [self.name(p["handle"]) for p in self.partners]

    # ------------------------------------------------------------------------------------------
    # Free text.
    # ------------------------------------------------------------------------------------------
    def text(self, value: str) -> str:
        if not self.enabled:
            return value
        return self._in_text.sub(value)

    def _id_text(self, value: str) -> str:
        return self._in_ids.sub(value)

    def reveals(self, value: str) -> bool:
        """Whether `value` holds a name, a word of a name or a handle, as a whole word."""
        return self._in_text.finds(value)

    def free_text(self, value: str) -> str:
        """A note, description or reason: still at most 2,000 characters, trimmed."""
        return self.text(value)[:MAX_TEXT].strip() if self.enabled else value

    def topic(self, value: str) -> str:
        """A topic stays a valid topic: lowercase, inner whitespace collapsed, at most 60 characters."""
        if not self.enabled:
            return value
        return _SPACES.sub(" ", self.text(value).lower())[:MAX_TOPIC].strip()

    # ------------------------------------------------------------------------------------------
    # Entry ids: an id may spell a name ("ana-checkin-3"). It gets the same whole-word treatment; when
    # the result would be too long or clash with another id, a plain numbered id stands in for it.
    # ------------------------------------------------------------------------------------------
    def reserve_ids(self, ids: Sequence[str]) -> None:
        """Map every id of the bundle before any is written, so references map the same way. An id
        that holds no name or handle stays; one that does gets them replaced, or, when the result
        would be too long, clash with another id or still hold one, a plain `entry-N`."""
        if not self.enabled:
            return
        untouched = [i for i in ids if not self._holds(i)]
        self._taken.update(untouched)
        for original in ids:
            if original in self._ids:
                continue
            candidate = self._id_text(original)
            changed = candidate != original
            if self._holds(candidate) or (
                changed and (not ID_RE.fullmatch(candidate) or candidate in self._taken)
            ):
                candidate = self._numbered()
            self._ids[original] = candidate
            self._taken.add(candidate)

    def _holds(self, value: str) -> bool:
        """Whether an id holds a name, a word of a name or a handle anywhere, even inside a word: an
        id is a machine string, so it is judged more strictly than free text ("aa0" holds "a0")."""
        folded = fold(value)
        return any(term in folded for term in self._id_terms)

    def _numbered(self) -> str:
        number = len(self._taken)
        while True:  # a handle may be a single letter or digit: some prefix and number avoid them all
            for prefix in ("entry", "e", "x", *"nkqzjvw"):
                candidate = f"{prefix}-{number}"
                if candidate not in self._taken and not self._holds(candidate):
                    return candidate
            number += 1

    def entry_id(self, value: str) -> str:
        if not self.enabled:
            return value
        if value not in self._ids:
            self.reserve_ids([value])
        return self._ids[value]

    # ------------------------------------------------------------------------------------------
    # Whole structures.
    # ------------------------------------------------------------------------------------------
    def entry(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        """An entry of the interchange format, with every identity and free text replaced."""
        if not self.enabled:
            return dict(entry)
        result = dict(entry)
        result["couple"] = self.couple_handle
        for name in ID_FIELDS:
            if isinstance(result.get(name), str):
                result[name] = self.entry_id(result[name])
        for name in PARTNER_FIELDS:
            if isinstance(result.get(name), str):
                result[name] = self.handle(result[name])
        if "partners" in result:
            result["partners"] = [
                {"handle": self.handle(p["handle"]), "name": self.name(p["handle"])}
                for p in result["partners"]
            ]
        for name in ("note", "description", "reason"):
            if isinstance(result.get(name), str):
                result[name] = self.free_text(result[name])
        if isinstance(result.get("topic"), str):
            result["topic"] = self.topic(result["topic"])
        return result

    def by_partner(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {self.handle(h): v for h, v in values.items()}

    def metrics(self, metrics: Mapping[str, Any]) -> dict[str, Any]:
        """The SPEC section 4 object with the couple's handle, partner keys and topics replaced."""
        if not self.enabled:
            return dict(metrics)
        result = dict(metrics)
        result["couple"] = self.couple_handle
        for group in ("repair", "promises", "check_ins"):
            result[group] = {**metrics[group], "by_partner": self.by_partner(metrics[group]["by_partner"])}
        trust = metrics["trust_consistency"]
        result["trust_consistency"] = {
            **trust,
            "by_partner": self.by_partner(trust["by_partner"]),
            "weight_by_partner": self.by_partner(trust["weight_by_partner"]),
        }
        conflicts = metrics["conflicts"]
        result["conflicts"] = {
            **conflicts,
            "recurring_topics": sorted({self.topic(t) for t in conflicts["recurring_topics"]}),
        }
        result["weekly"] = [
            {**row, "by_partner": self.by_partner(row["by_partner"])} for row in metrics["weekly"]
        ]
        return result
