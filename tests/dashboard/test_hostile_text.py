"""Whatever a person typed is shown as written, on every page: a couple whose names, topics, notes,
promises and reasons are Markdown, HTML, autolinks, LaTeX, Streamlit directives and emoji shortcodes is
walked page by page, and every text Streamlit renders as Markdown (bodies, labels, options, help, tab and
expander labels) gives back that text literally, never an image, a link, HTML or emphasis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.message import Message
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import Store, open_page, submit

COUPLE = "hostile"
NAME_A = "![a](http://evil.example/a.png) <img src=x onerror=alert(1)>"
NAME_B = "[Ben](https://evil.example) **b** :red[x]"
TOPIC = "# money <script>x</script> $x$"  # at most 60 characters
HOSTILE = {
    NAME_A,
    NAME_B,
    TOPIC,
    "a note with www.evil.example and http://evil.example/n and :smile: and ~~gone~~",
    "> quoted\n1. listed\n- item | cell | :material/home:",
    "promise &amp; ![p](http://evil.example/p.png) `code` _it_",
    "why: [why](javascript:alert(1)) <b>bold</b> :blue-background[x] $$y$$",
}
NOTE, QUOTED, DESCRIPTION, REASON = sorted(HOSTILE - {NAME_A, NAME_B, TOPIC}, key=len)
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Fields Streamlit shows as plain text (and so must hold the text unescaped).
PLAIN_ELEMENTS = {"Selectbox", "MultiSelect", "TextInput", "TextArea"}
PLAIN_FIELDS = {"options", "default", "value", "placeholder", "raw_value"}
SKIPPED_FIELDS = {
    "id",
    "form_id",
    "spec",
    "icon",
    "page",
    "page_script_hash",
    "url_path",
    "data",
    "css_class",
}
OUR_HTML = {"Html"}  # st.html: only the dashboard's own styles and script
PAGES = ("who", "log", "waiting", "overview", "timeline", "guidance", "export")


def arrange(store: Store) -> None:
    store.record(
        "couple_registered",
        hours_ago=24 * 20,
        couple=COUPLE,
        partners=[{"handle": "a", "name": NAME_A}, {"handle": "b", "name": NAME_B}],
        timezone="UTC",
    )
    conflicts = [
        store.record(
            "conflict_started",
            hours_ago=30 + index,
            couple=COUPLE,
            by="a",
            topic=TOPIC,
            horsemen=[],
            intensity=2,
            note=NOTE,
        )
        for index in range(3)
    ]
    store.record("repair_offered", hours_ago=20, couple=COUPLE, by="b", kind="other", conflict=conflicts[0])
    store.record(
        "repair_offered",
        hours_ago=19,
        couple=COUPLE,
        by="b",
        kind="apology",
        conflict=conflicts[1],
        note=QUOTED,
    )
    store.record(
        "promise_made",
        hours_ago=18,
        couple=COUPLE,
        by="a",
        description=DESCRIPTION[:200],
        due_at=store.ago(-48),
    )
    store.record("check_in", hours_ago=10, couple=COUPLE, by="a", closeness=5, trust=5, csi4=[2, 2, 2, 2])
    thanks = store.record("appreciation_expressed", hours_ago=9, couple=COUPLE, by="b", note=NOTE)
    store.record("entry_retracted", hours_ago=8, couple=COUPLE, entry=thanks, logged_by="a", reason=REASON)


def texts(node: Any) -> Iterator[tuple[str, str, bool]]:
    """(where, text, shown as Markdown) for every string of every element and block under `node`."""
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message) and proto.DESCRIPTOR.name not in OUR_HTML:
        yield from _strings(proto, proto.DESCRIPTOR.name)
    for child in getattr(node, "children", {}).values():
        yield from texts(child)


def _strings(message: Message, element: str) -> Iterator[tuple[str, str, bool]]:
    for field, value in message.ListFields():
        if field.name in SKIPPED_FIELDS:
            continue
        values = [value] if isinstance(value, (str, bytes, Message, int, float)) else list(value)
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, element)
            elif isinstance(item, str):
                plain = element in PLAIN_ELEMENTS and field.name in PLAIN_FIELDS
                yield f"{element}.{field.name}", item, not plain


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown text, with any construct that is not plain text reported."""
    parts = []
    for token in RENDERER.parse(markdown):
        assert token.type not in ("html_block", "code_block", "fence"), (token.type, markdown)
        for child in token.children or []:
            assert child.type not in ("link_open", "image", "html_inline"), (child.type, markdown)
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        parts.append(" ")
    return " ".join("".join(parts).split())


@pytest.mark.parametrize("page", PAGES)
def test_typed_text_is_shown_as_written_on_every_page(store: Store, page: str) -> None:
    arrange(store)
    at = open_page(page, couple=COUPLE, partner="a")
    assert not at.exception, at.exception
    seen = []
    for where, text, markdown in texts(at._tree):
        if markdown:
            visible = shown(text)
            html = RENDERER.render(text)
            assert "<img" not in html and "<a " not in html and "<script" not in html, (where, text)
            seen.append(visible)
        else:
            seen.append(" ".join(text.split()))
    everything = "\n".join(seen)  # as a reader sees it: a lost "*", "#" or "[" would show here
    expected = {
        "who": {NAME_A, NAME_B},
        "log": {NAME_A, NAME_B},
        "waiting": {NAME_B, TOPIC, QUOTED, DESCRIPTION},
        "overview": {NAME_A, NAME_B, TOPIC},
        "timeline": {NAME_A, NAME_B, TOPIC, NOTE, QUOTED, DESCRIPTION, REASON},
        "guidance": set(),
        "export": set(),
    }[page]
    for hostile in expected:
        assert " ".join(hostile.split()) in everything, (page, hostile)


def test_a_hostile_name_is_not_bold_or_a_link_in_the_sidebar(store: Store) -> None:
    arrange(store)
    at: AppTest = open_page("overview", couple=COUPLE, partner="a")
    sidebar = [shown(m.value) for m in at.sidebar.markdown]
    assert f"{NAME_A} & {NAME_B}" in sidebar


def test_registering_confirms_with_the_names_as_written_and_empties_the_form(store: Store) -> None:
    at = open_page("who", couple=None)
    at.text_input(key="form:register:name_a").input(NAME_A)
    at.text_input(key="form:register:name_b").input("Ben")
    at.text_input(key="form:register:couple").input("us-two")
    submit(at, "Register")
    [done] = [shown(s.value) for s in at.success]
    assert done == f"Registered {NAME_A} & Ben as “us-two”. Now choose who is using the app."
    assert at.text_input(key="form:register:name_a").value == ""
    assert at.text_input(key="form:register:couple").value == ""
    assert not [s for s in at.run().success if s.value.startswith("Registered")]  # said once
