"""The dashboard's Export page (AppTest): choose a period and the options, make the bundle, get a
downloadable zip and a preview of the report."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.export import FILES
from tests.export.support import example_entries, lines

APP = Path(__file__).parents[2] / "dashboard" / "app.py"


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    data_dir = tmp_path / "data"
    app = build_app(settings_for(data_dir))
    try:
        app.record_batch(example_entries())
    finally:
        app.close()
    for name in ("REPAIRTRACK_DATABASE_URL", "REPAIRTRACK_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["who:couple"] = "ana-ben"
    at.session_state["who:partner"] = "ben"
    at.run()  # the entry page registers the pages, as in a browser session
    at.switch_page("pages/export.py")
    return at


def test_the_page_makes_a_downloadable_zip_with_a_preview(page: AppTest) -> None:
    page.run()
    assert not page.exception
    assert page.get("download_button") == []  # nothing to download before a bundle is made

    page.date_input(key="export:from").set_value(date(2026, 3, 9))
    page.date_input(key="export:to").set_value(date(2026, 4, 1))
    page.checkbox(key="export:pseudonymize").check()
    next(b for b in page.button if b.label == "Make the bundle").click()
    page.run()

    assert not page.exception
    assert not page.error
    downloads = page.get("download_button")
    assert len(downloads) == 1
    assert downloads[0].proto.label == "Download the bundle"
    made = page.session_state["export:made"]
    assert made["filename"] == "repairtrack-couple-2026-03-09-to-2026-04-01.zip"
    with zipfile.ZipFile(io.BytesIO(made["zip"])) as archive:
        assert sorted(archive.namelist()) == sorted(FILES)
        written = lines(archive.read("events.jsonl"))
    assert {e["couple"] for e in written} == {"couple"}
    assert page.get("iframe"), "the report preview"
    assert "2026-03-09 to 2026-04-01" in page.success[0].value


def test_a_period_that_cannot_be_says_so_on_the_page(page: AppTest) -> None:
    page.run()
    page.date_input(key="export:from").set_value(date(2026, 4, 2))
    page.date_input(key="export:to").set_value(date(2026, 4, 1))
    next(b for b in page.button if b.label == "Make the bundle").click()
    page.run()

    assert not page.exception
    assert page.error[0].value == "The first day comes after the last day. Please swap them."
    assert page.get("download_button") == []
