"""A bundle for the counselor once it is made: what the session keeps of it, its download button and the
preview of its report. The export page and the counselor's page both show it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from repairtrack.services.export import Bundle

PREVIEW_HEIGHT = 900  # px


def kept(bundle: Bundle, couple: str) -> dict[str, Any]:
    """What the session keeps of a bundle made for `couple`, so that a rerun still offers it."""
    return {"couple": couple, "filename": bundle.filename, "zip": bundle.zip_bytes(), "html": bundle.html}


def download(made: Mapping[str, Any], *, key: str) -> None:
    """The zip, as the page's main button."""
    st.download_button(
        "Download the bundle",
        data=made["zip"],
        file_name=made["filename"],
        mime="application/zip",
        key=key,
        type="primary",
        icon=":material/download:",
        on_click="ignore",
    )


def preview(made: Mapping[str, Any]) -> None:
    """The report as the counselor reads it."""
    st.iframe(made["html"], height=PREVIEW_HEIGHT)
