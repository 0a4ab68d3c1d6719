"""What the dashboard remembers for one browser session: the couple, the partner using it now, whether
the screen is hidden; and who is asking (the actor every read and write of the service layer names).

In open mode (a store without accounts, on this machine only) the couple and partner chosen on "Who is
here" are the actor: a convenience on a shared device, not a security boundary. In accounts mode the
actor is the account of the session cookie `rt_session`, resolved on the server on every rerun
(`repairtrack.services.identity.Accounts.actor_for_session`); nothing remembered in the session stands
in for it, so a session ended elsewhere (signed out, disabled, expired) ends here on the next rerun.

Signed in through the practice's OpenID Connect provider instead (`st.login`, when the operator
configured one: `repairtrack.server.oidc`), the actor is the account bound to the issuer and subject of
Streamlit's signed identity cookie (`st.user`), looked up on every rerun too
(`Accounts.actor_for_external`): disabling the account ends it on the next rerun. Someone signed in with
the provider whom no account is bound to yet is `pending_external`: they may redeem an invitation."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard.store import services
from repairtrack.bootstrap import Services
from repairtrack.services.actors import Actor
from repairtrack.services.identity import SESSION_COOKIE

COUPLE = "who:couple"
PARTNER = "who:partner"
HIDDEN = "screen:hidden"
HERE = "screen:here"  # the app's page in use, where "Back" from the notes page returns
HOME = "pages/who.py"
GOTO = "goto:page"
LOG_KIND = "log:kind"  # the form the Log page shows
FORM_PREFIXES = ("form:", "problems:", "saved:", "waiting:", "timeline:")


def couple() -> str | None:
    value = st.session_state.get(COUPLE)
    return str(value) if value else None


def partner() -> str | None:
    value = st.session_state.get(PARTNER)
    return str(value) if value else None


def choose(couple_handle: str | None, partner_handle: str | None) -> None:
    """Remember who is here. Half-filled forms of the previous person are cleared, so nobody sees the
    other's unsent note."""
    if (couple_handle, partner_handle) != (couple(), partner()):
        forget_forms()
    st.session_state[COUPLE] = couple_handle
    st.session_state[PARTNER] = partner_handle


def forget_forms() -> None:
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(FORM_PREFIXES):
            del st.session_state[key]


def hidden() -> bool:
    return bool(st.session_state.get(HIDDEN))


def hide() -> None:
    st.session_state[HIDDEN] = True


def unhide() -> None:
    st.session_state[HIDDEN] = False


def visit(page: str) -> None:
    """Remember the app's page now in use ("pages/log.py"; the notes page is never one)."""
    st.session_state[HERE] = page


def back_page() -> str:
    """The page to return to from the notes page: the one in use when the screen was hidden."""
    page = st.session_state.get(HERE)
    return page if isinstance(page, str) and page else HOME


def go(page: str) -> None:
    """Ask for another page; followed at the top of the next run (callbacks cannot switch pages)."""
    st.session_state[GOTO] = page


def follow() -> None:
    page = st.session_state.pop(GOTO, None)
    if page:
        st.switch_page(page)


def open_form(kind: str) -> None:
    """Show this entry type's form on the Log page, and go there."""
    st.session_state[LOG_KIND] = kind
    go("pages/log.py")


def cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this session opened (the only way the session token reaches
    the dashboard: the sign-in form posts to the server, which sets the cookie)."""
    return st.context.cookies


def external_identity() -> tuple[str, str] | None:
    """The issuer and subject this browser signed in with at the practice's provider (`st.user`, from
    Streamlit's signed identity cookie), or None."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    issuer, subject = user.get("iss"), user.get("sub")
    if isinstance(issuer, str) and isinstance(subject, str) and issuer and subject:
        return issuer, subject
    return None


def resolve(
    store: Services,
    sent: Mapping[str, str],
    couple: str | None,
    partner: str | None,
    external: tuple[str, str] | None = None,
) -> Actor | None:
    """Who is asking: in accounts mode the signed-in account of the session cookie, else the account
    bound to the provider's `external` (issuer, subject), else None; in open mode whoever said "this is
    me" on the shared screen."""
    if store.identity.has_accounts():
        found = store.accounts.actor_for_session(sent.get(SESSION_COOKIE) or None)
        if found is None and external is not None:
            found = store.accounts.actor_for_external(*external)
        return found
    return Actor("open", couple=couple, partner=partner)


def accounts_mode() -> bool:
    """Whether the store has an account (SPEC section 8): every page then needs a signed-in person."""
    return services().identity.has_accounts()


def actor() -> Actor | None:
    """The actor of this rerun, resolved afresh (never taken from the session's memory)."""
    return resolve(services(), cookies(), couple(), partner(), external_identity())


def pending_external() -> tuple[str, str] | None:
    """Signed in with the practice's provider, but no account here is theirs (nor a session cookie's):
    the issuer and subject, to bind by redeeming an invitation; otherwise None."""
    external = external_identity()
    if external is None or actor() is not None:
        return None
    return external


def mode() -> str:
    """Which pages the app lists: "open" (no accounts), "signed_out" (accounts, nobody signed in),
    "partner" or "counselor" (the signed-in account's role)."""
    current = actor()
    if current is None:
        return "signed_out"
    return current.kind if current.bound else "open"
