"""Property tests of `--pseudonymize`: whatever the names, handles, free text and ids (wide Unicode,
names joined into ids by `_`, `-` or camelCase, names in scripts without spaces), pseudonymizing never
fails and no name, handle or word of a name is left, compared folded (NFKC + case folding): in the
replaced text, in the ids, and in every file of a bundle, which still re-imports with equal metrics.

How the texts are made: tokens (filler words and the names, handles and words of names in some case or
normalization form) joined by separators, or by nothing where a word edge is (docs/spec-readings.md,
Export). Filler is drawn from characters that no term holds, so a term can only come from a token; a
term that could be read out of the bundle's own words ("Partner A", the report's text) is skipped."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from domain.vocabulary import ID_RE
from repairtrack.services.export.privacy import (
    PSEUDONYM_COUPLE,
    PSEUDONYMS,
    Pseudonymizer,
    edge,
    fold,
    name_words,
)
from tests.export.support import every_text, lines, make_bundle, reimported_metrics
from tests.support import entries as e

TRICKY = [*"ßẞǅǄǆΣσςİıﬁﬂﬀŉǰΐﬆµÅåKķ", "花子", "王", "伟", "さくら", "지민", "สมชาย", "Ⅻ", "ｱｲ", "e\u0301"]
SEPARATORS = [" ", "  ", "_", "-", ".", ", ", "/", "(", ")", "'s ", ": "]
VOCABULARY = " ".join(
    [r for pair in PSEUDONYMS for r in pair] + [PSEUDONYM_COUPLE, "[name]", "entry-", "e-", "x-"]
)


def _vocabulary_joins() -> str:
    words = [r for pair in PSEUDONYMS for r in pair] + [PSEUDONYM_COUPLE, "[name]", "name"]
    return " ".join(a + s + b for a in words for b in words for s in [*SEPARATORS, ""])


VOCABULARY_FOLDED = fold(VOCABULARY + " " + _vocabulary_joins())

letters = st.characters(categories=("Lu", "Ll", "Lt", "Lo", "Nd", "Nl"))
word = st.one_of(st.text(letters, min_size=2, max_size=8), st.sampled_from(TRICKY)).filter(
    lambda w: len(w.strip()) == len(w) and fold(w)
)
names = st.lists(word, min_size=1, max_size=3).map(" ".join)
handles = st.from_regex(r"[a-z][a-z0-9]{1,7}(-[a-z0-9]{2,5})?", fullmatch=True)


def terms_of(couple: str, partners: list[dict[str, str]]) -> list[str]:
    found = [couple] + [p["handle"] for p in partners] + [p["name"] for p in partners]
    found += [w for p in partners for w in name_words(p["name"])]
    return sorted({fold(t) for t in found if fold(t)})


def forms(token: str) -> list[str]:
    """Spellings that fold to the same term."""
    made = [token, token.upper(), token.lower(), token.title(), token.swapcase(), token.casefold()]
    made += [unicodedata.normalize("NFKD", token), unicodedata.normalize("NFKC", token.upper())]
    return [f for f in made if fold(f) == fold(token)]


@st.composite
def couples(draw: st.DrawFn) -> tuple[str, list[dict[str, str]]]:
    couple = draw(handles)
    first, second = draw(handles), draw(handles)
    assume(len({couple, first, second}) == 3)
    partners = [{"handle": first, "name": draw(names)}, {"handle": second, "name": draw(names)}]
    return couple, partners


@st.composite
def texts(draw: st.DrawFn, couple: str, partners: list[dict[str, str]], max_tokens: int = 8) -> str:
    """Filler and identities joined by separators, or by nothing where a word edge is."""
    terms = terms_of(couple, partners)
    held = {c for t in terms for c in t}
    filler_char = st.characters(categories=("L", "N", "P", "S", "Zs")).filter(
        lambda c: not set(fold(c)) & held and not c.isspace()
    )
    filler = st.text(filler_char, min_size=1, max_size=6)
    identities = [couple, *(p["handle"] for p in partners), *(p["name"] for p in partners)]
    identities += [w for p in partners for w in name_words(p["name"])]
    spelled = st.sampled_from(identities).flatmap(lambda t: st.sampled_from(forms(t)))
    tokens = draw(st.lists(st.one_of(filler, spelled), min_size=1, max_size=max_tokens))
    text = tokens[0]
    for token in tokens[1:]:
        join = draw(st.sampled_from([*SEPARATORS, "", ""]))
        if join == "" and not edge(text + token, len(text)):
            join = "_"
        text += join + token
    return text.strip() or "x"


def leaks(text: str, terms: list[str]) -> list[str]:
    folded = fold(text)
    return [t for t in terms if t in folded]


def usable(terms: list[str], vocabulary: str = VOCABULARY_FOLDED) -> bool:
    """A term the bundle's own words could spell is no test of pseudonymizing."""
    return all(t not in vocabulary for t in terms)


# ----------------------------------------------------------------------------------------------
# The replacer alone: cheap, so it runs many examples.
# ----------------------------------------------------------------------------------------------
@given(st.data(), couples())
@example(None, ("ana-ben", [{"handle": "ana", "name": "Straße"}, {"handle": "ben", "name": "ǅemal Σίσυφος"}]))
@example(None, ("x1", [{"handle": "ab", "name": "İpek"}, {"handle": "cd", "name": "ﬁona 花子"}]))
def test_free_text_keeps_no_name_or_handle(data: st.DataObject | None, couple_: Any) -> None:
    couple, partners = couple_
    terms = terms_of(couple, partners)
    assume(usable(terms))
    pseudo = Pseudonymizer(couple, partners)
    if data is None:  # the explicit examples: every way of writing them at once
        samples = [" ".join(forms(t)) + " AnaNote ana_note note-ana STRASSE_x" for t in terms]
    else:
        samples = [data.draw(texts(couple, partners))]
    for sample in samples:
        assert leaks(pseudo.text(sample), terms) == [], sample
        assert leaks(pseudo.topic(sample), terms) == [], sample
        assert leaks(pseudo.free_text(sample), terms) == [], sample


@given(st.data(), couples())
def test_ids_that_hold_a_name_get_ids_without_it_and_references_follow(
    data: st.DataObject, couple_: Any
) -> None:
    couple, partners = couple_
    terms = terms_of(couple, partners)
    assume(usable(terms))
    ascii_parts = [t for t in [couple, *(p["handle"] for p in partners)] if ID_RE.fullmatch(t)]
    ascii_parts += [w for p in partners for w in name_words(p["name"]) if ID_RE.fullmatch(w)]
    # Joins that make a word edge: `_`, `-`, a camelCase step, a letter-digit step.
    joins = [
        lambda x, y: (x, "_", y),
        lambda x, y: (y, "-", x),
        lambda x, y: (x, "", y.title()),
        lambda x, y: (x.title(), "", y.title()),
        lambda x, y: (x.upper(), "-", y),
    ]

    def join(x: str, y: str, how: Any) -> str:
        left, between, right = how(x, y)
        if between == "" and not edge(left + right, len(left)):
            between = "_"
        return f"{left}{between}{right}"

    joined = st.builds(
        join, st.sampled_from(ascii_parts), st.sampled_from(["note", "k1"]), st.sampled_from(joins)
    )
    ids = data.draw(
        st.lists(
            st.one_of(joined, st.from_regex(r"[a-z]{1,3}[0-9]{1,2}", fullmatch=True)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    pseudo = Pseudonymizer(couple, partners)
    pseudo.reserve_ids(ids)
    new = [pseudo.entry_id(i) for i in ids]
    assert len(set(new)) == len(new)
    assert all(ID_RE.fullmatch(i) for i in new)
    assert all(leaks(i, terms) == [] for i in new)
    reference = pseudo.entry({"type": "entry_retracted", "couple": couple, "id": "zz9", "entry": ids[0]})
    assert reference["entry"] == new[0]


# ----------------------------------------------------------------------------------------------
# Whole bundles: a few examples (each builds a store, a report and its PDF).
# ----------------------------------------------------------------------------------------------
@cache
def bundle_vocabulary() -> str:
    """Everything a bundle says on its own: one made for names found in no report."""
    partners = [{"handle": "qq", "name": "Ǫǫǫ"}, {"handle": "vv", "name": "Ꝏꝏꝏ"}]
    entries = couple_entries(
        "qq-vv", partners, ["qq-k1", "note-qq", "QqNote", "vv_o1", "p1", "k1"], ["ǫ"] * 5
    )
    texts_ = every_text(make_bundle(entries, "qq-vv", include_notes=True, pseudonymize=True).files)
    html_escapes = "&amp; &lt; &gt; &quot; &#x27; &#39; &#34;"
    return fold(" ".join(texts_.values()) + " " + html_escapes) + " " + VOCABULARY_FOLDED


def couple_entries(
    couple: str, partners: list[dict[str, str]], ids: list[str], words: list[str]
) -> list[dict[str, Any]]:
    a, b = partners[0]["handle"], partners[1]["handle"]
    k, o, p, kk, ap, c = ids[:6]
    made = [
        e.registered(couple, partners=partners),
        e.conflict(k, 1, by=a, topic=words[0][:60], horsemen=["criticism"]),
        e.offer(o, 2, by=b, conflict=k, note=words[1]),
        e.accepted("a1", o, 3),
        e.promise(p, 4, due=30, by=b, description=words[2]),
        e.kept(kk, p, 20, note=words[3]),
        e.appreciation(ap, 21, by=a, note=words[4]),
        e.check_in(c, 22, by=b, csi4=[5, 4, 4, 3], note="private one", private=True),
        e.bid("b1", 24, by=a),
        e.retracted("x1", "b1", 25, reason=words[0]),
    ]
    return [{**made_entry, "couple": couple} for made_entry in made]


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), couples())
def test_no_file_of_a_pseudonymized_bundle_names_anyone(data: st.DataObject, couple_: Any) -> None:
    couple, partners = couple_
    terms = terms_of(couple, partners)
    assume(usable(terms, bundle_vocabulary()))
    a, b = partners[0]["handle"], partners[1]["handle"]
    wa = next((w for w in name_words(partners[0]["name"]) if ID_RE.fullmatch(w)), "Zz")
    ids = [f"{a}_k1", f"note-{b}", f"{wa.title()}Note", f"{b.upper()}-p1", f"{couple}.k", "c9"]
    words = [data.draw(texts(couple, partners, max_tokens=6)) for _ in range(5)]
    entries = couple_entries(couple, partners, ids, words)
    bundle = make_bundle(entries, couple, include_notes=True, pseudonymize=True)

    found = {name: leaks(text, terms) for name, text in every_text(bundle.files).items()}
    assert found == {name: [] for name in found}
    assert reimported_metrics(bundle) == orjson.loads(bundle.files["metrics.json"])
    written = lines(bundle.files["events.jsonl"])
    assert len(written) == len(entries)
