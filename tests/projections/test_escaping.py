"""The one Markdown escaping helper: escaped user text, rendered by a CommonMark renderer (markdown-it-py,
with GitHub's tables and strikethrough), gives back exactly the text that was typed, and never a link, an
image, HTML, emphasis, a heading, a list, a quote, a table or code."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from projections.escaping import escape_markdown

RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# The only tokens plain text may become: paragraphs of text and line breaks.
PLAIN = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}
HOSTILE = [
    "![x](http://evil.example/x.png)",
    "[click](https://evil.example)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "http://evil.example/a",
    "www.evil.example",
    "mail@evil.example",
    "<http://evil.example>",
    ":red[x] :material/home: :smile: :streamlit:",
    "$x^2$ and $$y$$",
    "**b** __c__ *d* _e_ ~~f~~ `g`",
    "# heading",
    "> quoted",
    "1. listed",
    "- listed\n+ listed\n* listed",
    "a | b\n--- | ---\nc | d",
    "title\n=====",
    "    indented code",
    "&amp; &#60; &copy;",
    "Ana & Ben",
    "back\\slash\\",
    "[^1] footnote",
]


def tokens(markdown: str) -> list[Any]:
    found = []
    for token in RENDERER.parse(markdown):
        found.append(token)
        found.extend(token.children or [])
    return found


def shown(markdown: str) -> str:
    """The text a reader sees, line breaks as spaces."""
    parts = []
    for token in tokens(markdown):
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak") or (token.type == "paragraph_open" and parts):
            parts.append(" ")
    return "".join(parts)


def words(text: str) -> str:
    return " ".join(text.split())


def check(text: str) -> None:
    escaped = escape_markdown(text)
    kinds = {token.type for token in tokens(escaped)}
    assert kinds <= PLAIN, (text, escaped, kinds - PLAIN)
    assert words(shown(escaped)) == words(text), (text, escaped)
    # GitHub's literal autolinks (http://x, www.x, a@b.x), Streamlit's directives and its emoji
    # shortcodes are found in the source text: there every ':', '.' and '@' is escaped.
    assert not re.search(r"(?<!\\)[:.@]", escaped), escaped


def test_hostile_texts_come_back_as_written() -> None:
    for text in HOSTILE:
        check(text)


def test_plain_words_are_left_alone() -> None:
    assert escape_markdown("Ana & Ben's check-in") == "Ana & Ben's check\\-in"
    assert escape_markdown("**bold** :red[x] $5") == "\\*\\*bold\\*\\* \\:red\\[x\\] \\$5"


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"], include_characters="\n\t"),
    max_size=80,
)
PUNCTUATED = st.lists(
    st.sampled_from([*"\\`*_{}[]()#+-.!|~<>$:=@&;'\"/ \n\t", "http://", "www.", "&amp;", "1.", "a", "Z"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_comes_back_as_written(text: str) -> None:
    check(text)


@settings(max_examples=500, deadline=None)
@given(PUNCTUATED)
def test_any_mix_of_markdown_punctuation_comes_back_as_written(text: str) -> None:
    check(text)
