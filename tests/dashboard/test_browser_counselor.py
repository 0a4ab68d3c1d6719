"""A counselor's walk in Debian's chromium driven by Playwright, against `repairtrack dashboard` over a
temporary store in accounts mode with three couples, two of which grant Dr. Lee access (issue 13).

One walk (module-scoped: one server, one browser): Dr. Lee signs in through the dashboard's sign-in form
(posting to /auth/signin), the caseload shows the two granting couples and not the third, Dr. Lee opens
one by choosing its row in the table, goes back, opens it again with the button and downloads its
bundle; the couple's access log (read as a partner, through the service layer) then records the
overview, report and bundle openings; after the couple revokes the access, the page
still open in the browser shows only "This couple no longer shares their data with you." on its next
rerun. No browser is ever downloaded."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from repairtrack.bootstrap import build, settings_for
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from tests.dashboard.browsing import chromium, run_cli, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PASSPHRASE = "a quiet orchard at dawn"
COUPLES = {
    "ana-ben": ("ana:Ana", "ben:Ben"),
    "cara-dan": ("cara:Cara", "dan:Dan"),
    "eli-fay": ("eli:Eli", "fay:Fay"),
}
GRANTING = ("ana-ben", "cara-dan")
ANA = Actor("partner", account="ana", name="Ana", couple="ana-ben", partner="ana")
GONE = "This couple no longer shares their data with you."
ROW_PX, ROW_MARKER_PX = 35, 30  # the grid's row height and row-marker column width (Streamlit's dataframe)


@dataclass
class Walk:
    caseload_text: str = ""
    opened_by_row: str = ""
    opened_heading: str = ""
    bundle_files: list[str] = field(default_factory=list)
    access_log: list[str] = field(default_factory=list)  # kinds, as Ana reads them
    after_revocation: str = ""


def arrange(data_dir: Path) -> None:
    """Three couples with a check-in each; Dr. Lee's account; grants by Ana & Ben and Cara & Dan."""
    for handle, (first, second) in COUPLES.items():
        run_cli(
            data_dir, "register", "-c", handle, "--partner", first, "--partner", second, "--timezone", "UTC"
        )
    services = build(settings_for(data_dir))
    try:
        made = services.accounts.invite_counselor("Dr. Lee")
        services.accounts.join(made.code, "dr-lee", PASSPHRASE)
        couples = Couples(services)
        for handle in GRANTING:
            couples.grant(Actor("operator"), handle, "dr-lee", notes=False)
    finally:
        services.close()


def with_services(data_dir: Path, work: Any) -> Any:
    services = build(settings_for(data_dir))
    try:
        return work(Couples(services))
    finally:
        services.close()


def choose_row(page: Any, row: int) -> None:
    """Select a row of the caseload's table: its box in the row-marker column of the grid (a canvas), as
    Streamlit's own e2e tests of dataframe selections do; row 0 is the header."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.locator("canvas").first.wait_for()
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": ROW_MARKER_PX / 2, "y": (row + 0.5) * ROW_PX})


def walk_through(browser: Any, address: str, data_dir: Path, downloads: Path) -> Walk:
    walk = Walk()
    context = browser.new_context(**DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(address + "/")
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    page.fill("#rt-account", "dr-lee")
    page.fill("#rt-passphrase", PASSPHRASE)
    page.locator("form.rt-signin").get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your caseload", exact=True).wait_for()
    # The page's last element: once it is there, every element of the run before it is too.
    page.get_by_role("button", name="Make a sharing code").wait_for()
    walk.caseload_text = page.locator("[data-testid='stMain']").inner_text()

    choose_row(page, 1)  # the first couple's row, Ana & Ben (more flags first, then by handle)
    page.get_by_role("heading", name="Ana & Ben", exact=True).wait_for()
    walk.opened_by_row = "Ana & Ben"
    page.get_by_role("link", name="Back to your caseload").click()
    page.get_by_role("heading", name="Your caseload", exact=True).wait_for()
    page.get_by_text("Why each couple is flagged").wait_for()  # the caseload stays: no row is chosen
    page.get_by_role("button", name="Open this couple").click()  # the keyboard way
    page.get_by_role("heading", name="Ana & Ben", exact=True).wait_for()
    walk.opened_heading = "Ana & Ben"
    page.get_by_role("tab", name="Report and bundle").click()
    page.get_by_role("button", name="Prepare the report and the bundle").click()
    download_button = page.get_by_role("button", name="Download the bundle")
    download_button.wait_for(timeout=180_000)
    with page.expect_download() as started:
        download_button.click()
    saved = downloads / "bundle.zip"
    started.value.save_as(saved)
    walk.bundle_files = zipfile.ZipFile(io.BytesIO(saved.read_bytes())).namelist()
    walk.access_log = with_services(data_dir, lambda c: [o["kind"] for o in c.access_log(ANA, "ana-ben")])

    with_services(data_dir, lambda c: c.revoke(ANA, "ana-ben", "dr-lee"))
    page.get_by_role("tab", name="Since the last session").click()
    page.get_by_role("button", name="Record this session").click()  # the page's next rerun
    page.get_by_text(GONE).wait_for()
    walk.after_revocation = page.locator("[data-testid='stMain']").inner_text()
    context.close()
    return walk


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    folder = tmp_path_factory.mktemp("counselor")
    data_dir = folder / "data"
    arrange(data_dir)
    with serve(data_dir) as address, chromium() as browser:
        yield walk_through(browser, address, data_dir, folder)


def test_the_caseload_shows_the_two_granting_couples_of_three(walk: Walk) -> None:
    assert "Ana & Ben" in walk.caseload_text and "Cara & Dan" in walk.caseload_text
    assert "Eli & Fay" not in walk.caseload_text and "eli-fay" not in walk.caseload_text
    assert "2 of 2 couples" in walk.caseload_text


def test_choosing_a_row_of_the_caseload_opens_that_couple(walk: Walk) -> None:
    assert walk.opened_by_row == "Ana & Ben"


def test_the_counselor_downloads_the_bundle_and_the_partner_sees_it_in_the_access_log(walk: Walk) -> None:
    assert walk.opened_heading == "Ana & Ben"
    assert "report.html" in walk.bundle_files and "events.jsonl" in walk.bundle_files
    assert {"overview", "report", "bundle"} <= set(walk.access_log)


def test_after_the_revocation_the_open_page_shows_nothing_more(walk: Walk) -> None:
    assert GONE in walk.after_revocation
    assert "Ana & Ben" not in walk.after_revocation
    assert "Download the bundle" not in walk.after_revocation
