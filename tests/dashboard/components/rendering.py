"""What a reader sees of the Markdown a component hands to Streamlit: its text and the kinds of markup
it makes (an image, a link, HTML, emphasis), so a test can say that typed text is shown as written."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Markup that typed text must never make.
ACTIVE = {
    "image",
    "link_open",
    "html_inline",
    "html_block",
    "strong_open",
    "em_open",
    "s_open",
    "code_inline",
}
HOSTILE = (
    "![x](http://e/x.png)",
    "<img src=x>",
    "**b**",
    "[Ben](https://evil.example) :red[x] $x$ ~~gone~~ `code`",
)
STRUCTURE = {"paragraph_open", "paragraph_close", "inline"}


def rendered(markdown: str) -> tuple[str, set[str]]:
    """The text of this Markdown as a reader sees it, and every kind of markup it makes."""
    text: list[str] = []
    kinds: set[str] = set()
    for token in RENDERER.parse(markdown):
        if token.type not in STRUCTURE:
            kinds.add(token.type)
        for child in token.children or []:
            if child.type == "text":
                text.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                text.append("\n")
            else:
                kinds.add(child.type)
    return "".join(text), kinds


def shown_as_written(markdown: str, typed: str, *, own: frozenset[str] = frozenset()) -> bool:
    """Whether the typed text reaches the reader literally, and the Markdown makes no markup but the
    component's `own` (say, "strong_open" for a bold title)."""
    text, kinds = rendered(markdown)
    return typed in text and kinds & ACTIVE <= own


def block_keys(at: AppTest) -> list[str]:
    """The keys of the keyed containers, popovers and other blocks of the page, in order (a keyed block's
    id is "$$ID-<hash>-<key>")."""
    found: list[str] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            block_id = str(getattr(child.proto, "id", "")) if isinstance(child, Block) else ""
            if block_id.startswith("$$ID-"):
                found.append(block_id.split("-", 2)[2])
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found
