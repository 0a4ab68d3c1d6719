"""User text made safe to show wherever Streamlit renders Markdown: one helper for a typed text, and one
for the metrics' only typed text (the recurring conflict topics)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

# Every ASCII character that Markdown, GitHub's extensions or Streamlit's own directives act on: emphasis,
# code, links and images, headings, quotes, lists, tables, strikethrough, setext underlines, HTML,
# LaTeX ($), directives and icons (:red[x], :material/x:), emoji shortcodes (:smile:) and the literal
# autolinks of http://x, www.x and a@b.x (their ':', '.' and '@' escaped, they are no longer links).
_MARKDOWN_SPECIALS: Final = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|~<>$:=@"})
# "&" only where it would start an entity (&amp; &#60;), so "Ana & Ben" stays as it is.
_ENTITY_START: Final = re.compile(r"&(?=[A-Za-z0-9#])")
# Spaces and tabs at the start of a line would make an indented code block: written as references.
_INDENT: Final = re.compile(r"^[ \t]+", re.MULTILINE)


def _indent_references(match: re.Match[str]) -> str:
    return match.group().replace(" ", "&#32;").replace("\t", "&#9;")


def escape_markdown(text: str) -> str:
    """User text to be shown as written wherever Streamlit renders Markdown (st.markdown, st.caption,
    st.success and the other alerts, st.write, and every label, help, option of a radio, pills or
    select_slider, tab and expander label and metric label): every character Markdown, GitHub's
    extensions or Streamlit's directives would act on is escaped, so a name like "![x](http://evil)"
    is neither an image nor a link, "<img ...>" is no HTML, ":red[x]", ":smile:" and "$x$" stay text.

    The one helper for this; never use it for text Streamlit shows as plain text (st.dataframe and
    st.table cells and headers, the options of st.selectbox and st.multiselect, text_input values), or
    the backslashes would show."""
    escaped = _ENTITY_START.sub("\\&", text.translate(_MARKDOWN_SPECIALS))
    return _INDENT.sub(_indent_references, escaped)


def with_topics_escaped(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics with the one kind of typed text they hold, the recurring conflict topics, escaped, for
    texts filled from them that are shown as Markdown (the reasons of the guidance)."""
    conflicts = dict(metrics["conflicts"])
    conflicts["recurring_topics"] = [escape_markdown(t) for t in conflicts["recurring_topics"]]
    return {**metrics, "conflicts": conflicts}
