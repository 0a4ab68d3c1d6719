"""The pages a component links to, standing in for app.py's `st.navigation` when a component runs alone:
`st.page_link("pages/who.py")` needs that page registered, at that path relative to the running script.

AppTest keeps every script of `from_function` in one shared temporary folder, and a `pages/` folder there
would turn every later script into a multipage app of the old kind; so the empty pages live only while the
component runs (registered, never run) and are gone before the script ends, even when it stops."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

PAGES: Final = ("who", "log", "waiting", "overview", "timeline", "notes", "signin", "caseload")


@contextmanager
def linked_pages() -> Iterator[None]:
    """Use inside the test's script, around the component."""
    ctx = get_script_run_ctx()
    assert ctx is not None
    folder = Path(ctx.main_script_path).resolve().parent / "pages"
    folder.mkdir(exist_ok=False)
    try:
        for name in PAGES:
            (folder / f"{name}.py").touch()
        pages = [st.Page(str(folder / f"{name}.py"), title=name.title()) for name in PAGES]
        st.navigation(pages, position="hidden")
        yield
    finally:
        shutil.rmtree(folder)
