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
_NAME_PART = re.compile(r"\w{2,}")


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


def _whole_words(terms: Sequence[str]) -> re.Pattern[str]:
    """One pattern for every term as a whole word, longest first so `ana-ben` wins over `ana`. A word
    edge is any place not between two word characters (letters, digits, underscore)."""
    ordered = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    alternatives = "|".join(re.escape(t) for t in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


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
        # (no spaces allowed) everything takes the handle form, `partner-a`.
        in_text: dict[str, str] = {}  # lowercased term -> replacement
        in_ids: dict[str, str] = {}
        parts: dict[str, set[int]] = {}
        for index, partner in enumerate(self.partners):
            handle = PSEUDONYMS[index][0]
            in_text[partner["handle"].lower()] = handle
            in_ids[partner["handle"].lower()] = handle
            for part in _NAME_PART.findall(partner["name"]):
                parts.setdefault(part.lower(), set()).add(index)
        for index, partner in enumerate(self.partners):  # a name reads better than a handle
            in_text[partner["name"].lower()] = PSEUDONYMS[index][1]
            in_ids.setdefault(partner["name"].lower(), PSEUDONYMS[index][0])
        for part, owners in sorted(parts.items()):
            only = next(iter(owners)) if len(owners) == 1 else None
            if only is None:
                in_text.setdefault(part, SHARED_NAME_PART)
            else:  # "Ben" of "Ben Okafor" reads "Partner B", even when `ben` is also a handle
                in_text[part] = PSEUDONYMS[only][1]
            in_ids.setdefault(part, "name" if only is None else PSEUDONYMS[only][0])
        in_text[self.couple.lower()] = PSEUDONYM_COUPLE
        in_ids[self.couple.lower()] = PSEUDONYM_COUPLE
        self._in_text = in_text
        self._in_ids = in_ids
        self._pattern = _whole_words(list(in_text))
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
        return self._pattern.sub(lambda m: self._in_text[m.group(0).lower()], value)

    def _id_text(self, value: str) -> str:
        return self._pattern.sub(lambda m: self._in_ids[m.group(0).lower()], value)

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
        """Map every id of the bundle before any is written, so references map the same way."""
        if not self.enabled:
            return
        untouched = [i for i in ids if self._id_text(i) == i]
        self._taken.update(untouched)
        for original in ids:
            if original in self._ids:
                continue
            candidate = self._id_text(original)
            if candidate != original and (not ID_RE.fullmatch(candidate) or candidate in self._taken):
                candidate = self._numbered()
            self._ids[original] = candidate
            self._taken.add(candidate)

    def _numbered(self) -> str:
        number = len(self._taken)
        while f"entry-{number}" in self._taken:
            number += 1
        return f"entry-{number}"

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
