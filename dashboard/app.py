"""The dashboard's entry point: page set-up and navigation only (`repairtrack dashboard` runs it).

Pages lay out (each starts with `chrome.show`: the safety note, the quick-hide button, who is here);
every read and write of a couple goes through the service layer (`repairtrack.services.couples`) as the
actor of the rerun (`dashboard/session.py`: in accounts mode the account of the session cookie, checked
on the server every time; without a valid session only the sign-in page is listed). The quick-hide
button swaps the whole app for a neutral notes page; its "Back" returns to the page in use
(`chrome.show` remembers it).

The page icons are files of our own (`dashboard/static/`), sent inline: a Material icon as page icon
would make the browser fetch it from a font server on every page, and nothing may leave the machine.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import session

ABOUT = (
    "**repairtrack** helps a couple log repair work and see whether it is working. Everything stays on "
    "this device. It is not a substitute for professional help."
)

STATIC = Path(__file__).resolve().parent / "static"
ICON = STATIC / "icon.svg"
NOTES_ICON = STATIC / "notes.svg"

# The neutral page the quick-hide button switches to; registered (unlisted) in both modes, so switching
# to it never meets a "page not found".
NOTES = st.Page("pages/notes.py", title="Notes", url_path="notes", visibility="hidden")

# Who can see our data: counselors exist only in accounts mode, so only a signed-in partner has the page.
SHARING = st.Page(
    "pages/sharing.py", title="Who can see our data", icon=":material/visibility:", url_path="sharing"
)
RHYTHM = st.Page(
    "pages/rhythm.py", title="Rhythm & reminders", icon=":material/event_repeat:", url_path="rhythm"
)

SIGNIN = st.Page("pages/signin.py", title="Sign in", icon=":material/login:", url_path="signin", default=True)
# Signed in with the practice's provider, but no account here is bound to them yet: redeem an invitation.
REDEEM = st.Page(
    "pages/redeem.py", title="Redeem your invitation", icon=":material/key:", url_path="redeem", default=True
)
SIGNIN_AGAIN = st.Page("pages/signin.py", title="Sign in", icon=":material/login:", url_path="signin")


def _pages(mode: str) -> dict[str, list[st.Page]]:
    """The pages of each mode: open mode as on one shared screen (and how to protect it with accounts);
    a signed-in partner their own name instead of "Who is here" and their account's pages; a counselor
    the caseload and their account's pages."""
    account = [
        st.Page(
            "pages/signins.py", title="My sign-ins", icon=":material/history_toggle_off:", url_path="signins"
        ),
        st.Page("pages/tokens.py", title="My tokens", icon=":material/key:", url_path="tokens"),
    ]
    if mode == "counselor":
        caseload = st.Page(
            "pages/caseload.py",
            title="Your caseload",
            icon=":material/groups:",
            url_path="caseload",
            default=True,
        )
        # One couple, opened from the caseload: never listed (it needs a couple chosen there).
        counsel = st.Page("pages/counsel.py", title="A couple", url_path="counsel", visibility="hidden")
        return {"Counseling": [caseload, counsel], "Your account": account, "": [NOTES]}
    partner = mode == "partner"
    home = st.Page(
        "pages/who.py",
        title="Home" if partner else "Who is here",
        icon=":material/home:" if partner else ":material/group:",
        url_path="who",
        default=True,
    )
    pages = {
        "You": [
            home,
            st.Page("pages/waiting.py", title="Waiting on you", icon=":material/inbox:", url_path="waiting"),
            st.Page("pages/log.py", title="Log", icon=":material/edit:", url_path="log"),
        ],
        "Together": [
            st.Page("pages/overview.py", title="Overview", icon=":material/insights:", url_path="overview"),
            st.Page("pages/timeline.py", title="Timeline", icon=":material/history:", url_path="timeline"),
            st.Page("pages/guidance.py", title="Guidance", icon=":material/lightbulb:", url_path="guidance"),
            st.Page("pages/export.py", title="Export", icon=":material/download:", url_path="export"),
            RHYTHM,
            *([SHARING] if partner else []),
            NOTES,
        ],
    }
    if partner:
        invite = st.Page(
            "pages/invite.py", title="Invite your partner", icon=":material/person_add:", url_path="invite"
        )
        pages["Your account"] = [invite, *account]
    else:
        protect = st.Page(
            "pages/protect.py", title="Protect with accounts", icon=":material/lock:", url_path="protect"
        )
        pages["This store"] = [protect]
    return pages


if session.hidden():
    st.set_page_config(
        page_title="Notes",
        page_icon=NOTES_ICON,
        initial_sidebar_state="collapsed",
        menu_items={"About": "Notes"},
    )
    st.navigation([NOTES], position="hidden").run()
else:
    st.set_page_config(
        page_title="repairtrack",
        page_icon=ICON,
        layout="wide",
        menu_items={"Get help": None, "Report a bug": None, "About": ABOUT},
    )
    mode = session.mode()  # who is asking, resolved on the server on every rerun
    if mode == "signed_out" and session.pending_external() is not None:
        st.navigation([REDEEM, SIGNIN_AGAIN, NOTES], position="hidden").run()
    elif mode == "signed_out":
        st.navigation([SIGNIN, NOTES], position="hidden").run()
    else:
        st.navigation(_pages(mode)).run()
