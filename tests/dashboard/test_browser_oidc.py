"""External sign-in end to end (SPEC section 8): `repairtrack dashboard` configured with a practice's
OpenID Connect provider (a local `oidc-provider-mock` on a loopback port, started here), driven in
Debian's chromium.

One walk: a counselor invited with `repairtrack account invite --counselor` signs in with the provider,
redeems the invitation (choosing the account name), sees the caseload; signs out (of the provider too)
and in again, recognised without a code. Then someone the provider knows but who was never invited is
refused with a sentence, and no account is made (`repairtrack account list --json` is unchanged)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import oidc_provider_mock
import pytest

from repairtrack.bootstrap import build, settings_for
from tests.dashboard.browsing import chromium, free_port, repairtrack, running
from tests.server.support import STRONG, clean_env
from tests.support.entries import COUPLE, registered

PRACTICE = "Northside Counseling"
COUNSELOR = "lee@northside.example"
STRANGER = "stranger@elsewhere.example"
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),  # the provider's own library
    pytest.mark.filterwarnings("ignore::DeprecationWarning:oidc_provider_mock.*"),
]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The practice's identity provider: any client may use it; the login form lets us type a subject."""
    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for subject, name in ((COUNSELOR, "Dr. Lee"), (STRANGER, "Stranger")):
            answer = httpx.put(f"{issuer}/users/{quote(subject)}", json={"email": subject, "name": name})
            assert answer.status_code == 204
        yield issuer


def run(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """`repairtrack ARGS` started (its answer read with `answer`), so that it runs while the walk goes on."""
    return subprocess.Popen(repairtrack(data_dir, *args), env=clean_env(), stdout=subprocess.PIPE, text=True)


def answer(command: subprocess.Popen[str]) -> Any:
    out, _ = command.communicate(timeout=60)
    assert command.returncode == 0
    return json.loads(out)


def make_store(data_dir: Path) -> None:
    """A couple with one partner joined: the store is in accounts mode."""
    services = build(settings_for(data_dir))
    try:
        services.app.record(registered())
        services.accounts.join(services.accounts.invite_partner(COUPLE, "ana").code, "ana", STRONG)
    finally:
        services.close()


@contextmanager
def dashboard(data_dir: Path, issuer: str) -> Iterator[str]:
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    env = clean_env(
        REPAIRTRACK_OIDC_METADATA_URL=f"{issuer}/.well-known/openid-configuration",
        REPAIRTRACK_OIDC_CLIENT_ID="repairtrack-test",
        REPAIRTRACK_OIDC_CLIENT_SECRET="not-a-real-secret",
        REPAIRTRACK_OIDC_NAME=PRACTICE,
        REPAIRTRACK_PUBLIC_URL=address,
    )
    with running(data_dir, port, env=env, output=subprocess.PIPE) as started:
        yield started


def sign_in_with_provider(page: Any, subject: str) -> None:
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    page.get_by_role("button", name=f"Sign in with {PRACTICE}").click()
    page.get_by_placeholder("sub").fill(subject)  # the provider's own form
    page.get_by_role("button", name="Authorize").click()


def sign_out(page: Any) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's own confirmation


def test_a_counselor_joins_and_signs_in_through_the_practice_provider(tmp_path: Path, provider: str) -> None:
    data_dir = tmp_path / "data"
    make_store(data_dir)
    invited = run(data_dir, "account", "invite", "--counselor", "--name", "Dr. Lee", "--json")
    with dashboard(data_dir, provider) as address, chromium() as browser:
        code = answer(invited)["code"]
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(address)

        # Invited, signed in with the provider: redeem the invitation, choosing the account name.
        sign_in_with_provider(page, COUNSELOR)
        page.get_by_role("heading", name="Redeem your invitation").wait_for()
        page.get_by_text(COUNSELOR).first.wait_for()
        page.get_by_role("textbox", name="Invitation code").fill(code)
        page.get_by_role("textbox", name="Account name").fill("dr-lee")
        page.get_by_role("button", name="Redeem").click()
        page.get_by_role("heading", name="Your caseload").wait_for()
        listed = run(data_dir, "account", "list", "--json")  # read while the walk goes on

        # Signed out (of the provider too) and in again: recognised, no code asked.
        sign_out(page)
        sign_in_with_provider(page, COUNSELOR)
        page.get_by_role("heading", name="Your caseload").wait_for()
        assert page.get_by_role("heading", name="Redeem your invitation").count() == 0

        # Never invited: a sentence, and nothing made.
        before = answer(listed)
        [lee] = [a for a in before if a["account"] == "dr-lee"]
        assert (lee["role"], lee["name"]) == ("counselor", "Dr. Lee")
        sign_out(page)
        sign_in_with_provider(page, STRANGER)
        page.get_by_role("heading", name="Redeem your invitation").wait_for()
        page.get_by_text("no account of this store belongs to that sign-in yet").wait_for()
        page.get_by_role("textbox", name="Invitation code").fill("a-code-nobody-made")
        page.get_by_role("textbox", name="Account name").fill("stranger")
        page.get_by_role("button", name="Redeem").click()
        page.get_by_text(
            "This invitation code is not known; check it or ask again. Nothing was made."
        ).wait_for()
        assert page.get_by_role("heading", name="Your caseload").count() == 0
        assert answer(run(data_dir, "account", "list", "--json")) == before
        assert "stranger" not in {a["account"] for a in before}
