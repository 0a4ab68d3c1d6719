"""An invitation's link (on the address this dashboard is reached at) and its QR code, made with segno
as an inline SVG: nothing is fetched from elsewhere."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
import streamlit as st


def origin() -> str:
    """`scheme://host[:port]` of the address the browser used for this page ("" when unknown)."""
    url = st.context.url
    if url:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    host = st.context.headers.get("host")
    return f"http://{host}" if host else ""


def link(path: str) -> str:
    return origin() + path


def svg(text: str) -> str:
    """The QR code of `text` as one inline SVG element (dark modules on white, 4 modules of margin)."""
    code = segno.make(text, error="m")
    markup: str = code.svg_inline(scale=5, dark="#141312", light="#ffffff", title="QR code of the link")
    return markup


def qr(text: str) -> None:
    st.markdown(svg(text), unsafe_allow_html=True)
