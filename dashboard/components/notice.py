"""A page that cannot go on: a kind word of why, a link to where to go instead, and nothing more."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st


def stop(message: str, *, icon: str, page: str, label: str, link_icon: str) -> NoReturn:
    """The note (`icon` on it), a link to `page`, and the end of this run of the page."""
    st.info(message, icon=icon)
    st.page_link(page, label=label, icon=link_icon)
    st.stop()
