"""Guidance: what fits your numbers now (ranked, with the reason each piece was chosen), and the whole
library to browse and search. The safety note always comes first."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from content.library import GuidancePiece, Suggestion
from dashboard import session
from dashboard.components import chrome, guidance_piece
from dashboard.store import couples, household, library, reading
from projections.presenting import with_topics_escaped
from projections.wording import counted

SHOWN_FIRST = 3
WINDOW_DAYS = 28

chrome.show(key="chrome")
st.title("Guidance")
pieces = library()
actor = session.actor()
handle = actor.couple if actor is not None else None
house = household(handle, actor) if handle and actor is not None else None

fitting: Sequence[GuidancePiece | Suggestion]
if house is None:
    fitting = [piece for piece in pieces if piece.always]
    st.info(
        "Choose your couple on Who is here to see which pieces fit your numbers. The whole library is below.",
        icon=":material/group:",
    )
else:
    assert actor is not None
    with reading() as view:
        metrics = couples().metrics(actor, house.handle, window_days=WINDOW_DAYS, view=view)
    fitting = pieces.select(with_topics_escaped(metrics))  # reasons are Markdown and may name a topic

always = [piece for piece in fitting if piece.always]
chosen = [piece for piece in fitting if not piece.always]
for piece in always:
    guidance_piece.show(piece, key=f"guidance:always:{piece.id}")

if house is not None:
    st.header("What fits now")
    st.caption(
        f"Chosen from your last {WINDOW_DAYS} days, most important first. Each says why it came up. "
        "These are suggestions from research and practice, not a diagnosis."
    )
    if not chosen:
        st.markdown(
            "Nothing in particular stands out in your numbers right now. Keep logging: check-ins, repair "
            "attempts and promises give the guidance something to go on."
        )
    for piece in chosen[:SHOWN_FIRST]:
        guidance_piece.show(piece, key=f"guidance:fit:{piece.id}")
    if len(chosen) > SHOWN_FIRST:
        with st.expander(f"Show all {len(chosen)} that fit"):
            for piece in chosen[SHOWN_FIRST:]:
                guidance_piece.show(piece, key=f"guidance:more:{piece.id}")

st.header("The library")
query = st.text_input("Search", key="guidance:search", placeholder="e.g. apology, trust, contempt")
found = pieces.search(query or "")
st.caption(f"{len(found)} of {counted(len(pieces), 'piece')}.")
if not found:
    st.markdown("Nothing matches those words. Try fewer or shorter words.")
for piece in found:
    with st.expander(piece.title):
        st.markdown(piece.summary)
        st.markdown(piece.body)
        st.caption("Sources: " + "; ".join(piece.sources))
