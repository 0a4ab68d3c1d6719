"""The two partners of one couple, each signed in on their own phone (issue 12), in Debian's chromium
driven by Playwright against `repairtrack dashboard` over a temporary store in accounts mode.

The walk runs once (module-scoped: one server, one browser, two browser contexts at 390x844 with touch):
both partners join through their invitation's page (`/join/<code>`, made with `repairtrack account
invite`), Ben logs a check-in with a private note holding a unique marker, Ana logs a repair attempt,
Ben finds it on "Waiting on you" and accepts it, Ana's overview shows the acceptance; a reload keeps each
signed in, and signing out from the sidebar ends the session (the dashboard then shows its sign-in page,
the old cookie gets 401 from the API) and the dashboard's own sign-in form signs in again.

Everything Ana's browser received is recorded throughout: every websocket frame (Streamlit's protobuf
messages, searched as bytes) and the page's HTML after every step. Ben's private note must never be
among it. That the marker is found in what Ben's own browser received shows the search would see it.

Never skipped: CI installs chromium (scripts/system-deps). No browser is ever downloaded."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from projections.wording import FORM_TITLES, TYPE_LABELS
from tests.dashboard.browsing import chromium, run_cli, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
COUPLE = "ana-ben"
PASSPHRASES = {"ana": "quiet river lantern 42", "ben": "seven paper boats drift"}
SIDEBAR_NAV = "[data-testid='stSidebarNav']"
NOTE_START = "Ben wrote this for himself"


@dataclass
class Seen:
    """What one partner's browser received: websocket frames (bytes) and the page's HTML, step by step."""

    frames: list[bytes] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def holds(self, text: str) -> bool:
        needle = text.encode()
        return any(needle in frame for frame in self.frames) or any(text in page for page in self.pages)


@dataclass
class Walk:
    marker: str
    seen: dict[str, Seen] = field(default_factory=lambda: {"ana": Seen(), "ben": Seen()})
    steps: list[str] = field(default_factory=list)  # what was done, in order
    acceptance: str = ""  # Ana's "Repair acceptance" card after Ben accepted
    me_after_reload: dict[str, int] = field(default_factory=dict)  # partner -> /api/v1/me status
    page_after_reload: dict[str, str] = field(default_factory=dict)  # partner -> the page's heading
    heading_after_signout: dict[str, str] = field(default_factory=dict)
    old_cookie_status: dict[str, int] = field(default_factory=dict)  # the ended session's cookie
    signed_in_again: str = ""  # the heading after the dashboard's own sign-in form


class Partner:
    """One partner's phone: a browser context of its own, recording what it receives."""

    def __init__(self, browser: Any, address: str, handle: str, seen: Seen) -> None:
        self.address, self.handle, self.seen = address, handle, seen
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("websocket", self._record)

    def _record(self, socket: Any) -> None:
        def frame(payload: str | bytes) -> None:
            self.seen.frames.append(payload.encode() if isinstance(payload, str) else bytes(payload))

        socket.on("framereceived", frame)

    def snapshot(self) -> None:
        self.seen.pages.append(self.page.content())

    def heading(self, name: str) -> None:
        self.page.get_by_role("heading", name=name, exact=True).wait_for()
        self.snapshot()

    def cookie(self) -> str:
        (value,) = [c["value"] for c in self.context.cookies() if c["name"] == "rt_session"]
        return str(value)

    def join(self, path: str, name: str) -> None:
        self.page.goto(self.address + path)
        self.page.fill("#account", self.handle)
        self.page.fill("#passphrase", PASSPHRASES[self.handle])
        self.page.get_by_role("button", name="Join").tap()
        self.heading(f"Hello, {name}")

    def bar(self, label: str, heading: str) -> None:
        """A page of the bottom bar (the phone's three most used pages)."""
        self.page.locator(".st-key-chrome-thumbs").get_by_role("link", name=label).tap()
        self.heading(heading)

    def menu(self, title: str, heading: str | None = None) -> None:
        self.open_sidebar()
        self.page.locator(SIDEBAR_NAV).get_by_text(title, exact=True).tap()
        self.heading(heading or title)

    def open_sidebar(self) -> None:
        self.page.locator("[data-testid='stExpandSidebarButton']").tap()
        self.page.locator(SIDEBAR_NAV).wait_for(state="visible")

    def log(self, kind: str, note: str | None = None) -> None:
        """Log one entry on the Log page: the form of `kind` with its defaults (and a private note)."""
        self.bar("Log", "Log")
        pills = self.page.locator("[data-testid='stButtonGroup']", has_text="What happened?")
        pills.get_by_role("radio", name=TYPE_LABELS[kind], exact=True).tap()
        form = self.page.locator("[data-testid='stForm']")
        form.get_by_text(FORM_TITLES[kind], exact=True).wait_for()
        if note is not None:
            form.get_by_label("Note (optional)").fill(note)
            form.get_by_text("Private note", exact=True).tap()
        form.get_by_role("button", name="Save").tap()
        self.page.get_by_text("Saved:").wait_for()
        self.snapshot()

    def me(self, cookie: str | None = None) -> int:
        """The status of `GET /api/v1/me` with this context's cookie (or the one given)."""
        sent = cookie if cookie is not None else self.cookie()
        request = urllib.request.Request(
            self.address + "/api/v1/me", headers={"Cookie": f"rt_session={sent}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:  # our own loopback address
                assert json.loads(reply.read())["account"] == self.handle
                return int(reply.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def sign_out(self) -> None:
        self.open_sidebar()
        self.page.get_by_role("button", name="Sign out").tap()
        self.page.get_by_role("heading", name="Sign in").wait_for()
        self.snapshot()


def walk_through(browser: Any, address: str, invitations: dict[str, str], marker: str) -> Walk:
    walk = Walk(marker)
    ana = Partner(browser, address, "ana", walk.seen["ana"])
    ben = Partner(browser, address, "ben", walk.seen["ben"])
    ana.join(invitations["ana"], "Ana")
    ben.join(invitations["ben"], "Ben")
    walk.steps.append("both joined")

    ben.log("check_in", note=f"{NOTE_START} {marker}")
    ben.menu("Timeline")
    ben.page.get_by_text(marker).first.wait_for()  # Ben sees his own private note
    ben.snapshot()
    walk.steps.append("Ben logged a private note")

    ana.log("repair_offered")
    ana.menu("Timeline")
    ana.page.get_by_text("Check-in").first.wait_for()  # Ben's check-in is on Ana's timeline, its note not
    walk.steps.append("Ana logged a repair attempt")

    ben.bar("Waiting", "Waiting on you")
    ben.page.get_by_role("button", name="Accept").first.tap()
    ben.page.get_by_text("Nothing to answer.").wait_for()
    walk.steps.append("Ben accepted it")

    ana.bar("Overview", "Overview")
    card = ana.page.locator("[data-testid='stMetric']", has_text="Repair acceptance").first
    walk.acceptance = card.locator("[data-testid='stMetricValue']").inner_text().strip()
    ana.snapshot()

    for partner, heading in ((ana, "Overview"), (ben, "Waiting on you")):
        partner.page.reload()
        partner.heading(heading)  # the same page again, not the sign-in page
        walk.page_after_reload[partner.handle] = heading
        walk.me_after_reload[partner.handle] = partner.me()
    walk.steps.append("reloaded")

    for partner in (ana, ben):
        old = partner.cookie()
        partner.sign_out()
        partner.page.goto(address + "/")
        partner.heading("Sign in")
        walk.heading_after_signout[partner.handle] = "Sign in"
        partner.page.reload()
        partner.heading("Sign in")
        walk.old_cookie_status[partner.handle] = partner.me(old)
    walk.steps.append("signed out")

    # The dashboard's own sign-in form (inside st.html) posts to the server and signs in again.
    ana.page.fill("#rt-account", "ana")
    ana.page.fill("#rt-passphrase", PASSPHRASES["ana"])
    ana.page.locator("form.rt-signin").get_by_role("button", name="Sign in").tap()
    ana.heading("Hello, Ana")
    walk.signed_in_again = "Hello, Ana"
    walk.steps.append("signed in again")
    for partner in (ana, ben):
        partner.context.close()
    return walk


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    data_dir: Path = tmp_path_factory.mktemp("partners") / "data"
    run_cli(
        data_dir,
        "register",
        "-c",
        COUPLE,
        "--partner",
        "ana:Ana",
        "--partner",
        "ben:Ben",
        "--timezone",
        "UTC",
    )
    invitations = {
        p: json.loads(run_cli(data_dir, "account", "invite", "--couple", COUPLE, "--partner", p, "--json"))[
            "path"
        ]
        for p in ("ana", "ben")
    }
    marker = f"marker{secrets.token_hex(8)}"  # letters and digits: no Markdown escape splits it
    with serve(data_dir) as address, chromium() as browser:
        try:
            yield walk_through(browser, address, invitations, marker)
        except Exception as error:  # where the walk stopped, to look at
            for number, page in enumerate(p for c in browser.contexts for p in c.pages):
                page.screenshot(path=data_dir.parent / f"stopped-{number}.png")
            error.add_note(f"screenshots of where the walk stopped: {data_dir.parent}/stopped-*.png")
            raise


def test_the_walk_went_through(walk: Walk) -> None:
    assert walk.steps == [
        "both joined",
        "Ben logged a private note",
        "Ana logged a repair attempt",
        "Ben accepted it",
        "reloaded",
        "signed out",
        "signed in again",
    ]


def test_bens_private_note_never_reaches_anas_browser(walk: Walk) -> None:
    ana, ben = walk.seen["ana"], walk.seen["ben"]
    assert ana.frames and ana.pages, "nothing of Ana's browser was recorded"
    assert ben.holds(walk.marker), "the search does not find the marker even where it was sent"
    assert not any(walk.marker.encode() in frame for frame in ana.frames)
    assert not any(walk.marker in page for page in ana.pages)
    assert not ana.holds(NOTE_START)  # nor any other part of the note


def test_the_accepted_attempt_shows_on_anas_overview(walk: Walk) -> None:
    assert walk.acceptance == "100%"


def test_a_reload_keeps_each_signed_in(walk: Walk) -> None:
    assert walk.page_after_reload == {"ana": "Overview", "ben": "Waiting on you"}
    assert walk.me_after_reload == {"ana": 200, "ben": 200}


def test_signing_out_ends_the_session(walk: Walk) -> None:
    assert walk.heading_after_signout == {"ana": "Sign in", "ben": "Sign in"}
    assert walk.old_cookie_status == {"ana": 401, "ben": 401}
    assert walk.signed_in_again == "Hello, Ana"
