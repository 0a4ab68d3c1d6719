"""The dashboard under test: a real store in a temporary folder (the dashboard finds it through
REPAIRTRACK_DATA_DIR, as configuration), a second handle on the same store for arranging entries and
checking what was stored, and AppTest runs of the real app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import session
from repairtrack.bootstrap import Services, build, settings_for
from tests.dashboard.browsing import chromium
from tests.support.aggregate import aggregate

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT = 30  # seconds per run; AppTest's default of 3 s is too short for a cold start
COUPLE = "ana-ben"


class Store:
    """The store the dashboard uses, seen from the test: arrange entries, read back what was stored."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.now = datetime.now(UTC)

    def ago(self, hours: float = 0.0) -> str:
        return (self.now - timedelta(hours=hours)).isoformat()

    def register(self, couple: str = COUPLE, timezone: str = "Europe/Berlin") -> None:
        self.record(
            "couple_registered",
            hours_ago=24 * 60,
            couple=couple,
            partners=[{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}],
            timezone=timezone,
        )

    def record(self, entry_type: str, /, hours_ago: float = 1.0, couple: str = COUPLE, **fields: Any) -> str:
        entry = {"type": entry_type, "couple": couple, "occurred_at": self.ago(hours_ago), **fields}
        return self.services.app.record(entry)

    def entries(self, couple: str = COUPLE) -> list[dict[str, Any]]:
        """Every stored entry, in recording order, times in UTC."""
        return self.services.app.entries(couple, local_times=False)

    def last(self, couple: str = COUPLE) -> dict[str, Any]:
        return self.entries(couple)[-1]

    def last_source(self, couple: str = COUPLE) -> str:
        """How the last entry reached the store (the event records it: "dashboard", "cli", ...)."""
        found = aggregate(self.services.app, couple)
        assert found is not None
        *_, event = self.services.app.events.get(found.id)
        return str(event.source)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(data_dir))
    for name in ("REPAIRTRACK_DATABASE_URL", "REPAIRTRACK_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    services = build(settings_for(data_dir))
    yield Store(services)
    services.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright, one for all the browser tests of a module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def cookie(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The cookies the browser sends, handed to `dashboard.session.cookies` (the one function that reads
    them; AppTest cannot send any): empty, nobody signed in, until a test puts a session token in."""
    sent: dict[str, str] = {}
    monkeypatch.setattr(session, "cookies", lambda: sent)
    yield sent


@pytest.fixture
def couple(store: Store) -> Store:
    """A store holding the couple Ana & Ben (Europe/Berlin)."""
    store.register()
    return store


def chosen(at: AppTest, couple: str | None = COUPLE, partner: str | None = "ana") -> AppTest:
    """`at` run once with who-is-here already chosen, as the "Who is here" page leaves it."""
    if couple is not None:
        at.session_state["who:couple"] = couple
        at.session_state["who:partner"] = partner
    at.run()
    assert not at.exception, at.exception
    return at


def run_alone(
    script: Callable[..., None], *args: Any, couple: str | None = COUPLE, partner: str | None = "ana"
) -> AppTest:
    """A component's test script (`script(*args)`), run once alone with who-is-here already chosen (Ana
    of Ana & Ben unless told; nobody with `couple=None`)."""
    return chosen(AppTest.from_function(script, args=args, default_timeout=TIMEOUT), couple, partner)


def open_page(page: str, *, couple: str | None = COUPLE, partner: str | None = "ana") -> AppTest:
    """The app, run once on `page` ("overview", "log", ...) with who-is-here already chosen."""
    # The entry page first: st.navigation registers the pages (as in a browser session).
    at = chosen(AppTest.from_file(APP, default_timeout=TIMEOUT), couple, partner)
    if page != current_page(at):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def current_page(at: AppTest) -> str:
    return "who"  # the entry page


def card(at: AppTest, label: str, index: int = 0) -> tuple[str, str | None]:
    """(value, change) of the `index`-th metric card with this label."""
    found = [m for m in at.metric if m.label == label]
    assert found, f"no card {label!r}; cards: {[m.label for m in at.metric]}"
    return found[index].value, found[index].delta or None


def texts(at: AppTest) -> list[str]:
    """Every Markdown and caption text of the page, in order."""
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def submit(at: AppTest, label: str = "Save") -> AppTest:
    [button] = [b for b in at.button if b.label == label and b.key.startswith("FormSubmitter:")]
    button.click().run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def form_children(at: AppTest) -> list[tuple[str, str]]:
    """(element type, key or text) of every element inside the forms of the page, in order, so a test
    can see which field an error sits under."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, inside: bool) -> None:
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", type(child).__name__)
            here = inside or kind == "form"
            if here and kind != "form":
                found.append((kind, getattr(child, "key", None) or str(getattr(child, "value", ""))))
            walk(child, here)

    walk(at.main, False)
    return found
