"""Accounts mode in the dashboard tests: partners and counselors who join (their session tokens, the value
of the rt_session cookie), a page opened with one of them signed in, and everything a page shows. The
cookie itself is the `cookie` fixture of tests/dashboard/conftest.py."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from repairtrack.services.actors import Actor
from tests.dashboard.conftest import APP, COUPLE, TIMEOUT, Store

PASSPHRASE = "a quiet orchard at dawn"


def join(store: Store, partner: str) -> str:
    """The partner joins by an invitation; returns their session token (the cookie's value)."""
    made = store.services.accounts.invite_partner(COUPLE, partner)
    return store.services.accounts.join(made.code, partner, PASSPHRASE, "127.0.0.1")


def join_counselor(store: Store) -> str:
    """Dr. Lee joins as a counselor (account "dr-lee"); their session token."""
    made = store.services.accounts.invite_counselor("Dr. Lee")
    return store.services.accounts.join(made.code, "dr-lee", PASSPHRASE)


def counselor(store: Store, name: str = "dr-lee") -> Actor:
    """The counselor account `name` as the service layer's actor."""
    info = store.services.identity.account(name)
    assert info is not None
    return Actor("counselor", account=name, name=info.display_name)


def everything(at: AppTest) -> str:
    """Every element's full message (labels, values, options, help, HTML), main area and sidebar."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found).replace("\\'", "'")  # the text format escapes quotes


def open_as(page: str, sent: dict[str, str], token: str | None) -> AppTest:
    """The app with `token` as the session cookie (none: nobody signed in), then `page` in it."""
    sent.clear()
    if token is not None:
        sent["rt_session"] = token
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    if page != "who":
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
    return at
