"""A dashboard session on an encrypted store leaves no note, name, handle, description or topic in
plaintext in any file under the data folder."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from repairtrack.bootstrap import build
from repairtrack.config import Settings
from repairtrack.services.keys import new_key
from tests.dashboard.conftest import APP, TIMEOUT, submit
from tests.test_privacy import MARKERS, leaks, secret_entries


def field(kind: str, name: str) -> str:
    return f"form:{MARKERS['couple']}:{kind}:{name}"


def test_a_dashboard_session_on_an_encrypted_store_writes_no_secret_in_plaintext(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key()
    data = tmp_path / "data"
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(data))
    monkeypatch.setenv("REPAIRTRACK_ENCRYPTION_KEY", key)
    monkeypatch.delenv("REPAIRTRACK_DATABASE_URL", raising=False)
    services = build(Settings.from_env(data_dir=data, environ={"REPAIRTRACK_ENCRYPTION_KEY": key}))
    services.app.record_batch(secret_entries()[:1])  # the registration only
    services.close()

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["who:couple"] = MARKERS["couple"]
    at.session_state["who:partner"] = MARKERS["handle_a"]
    at.run()
    assert not at.exception
    at.switch_page("pages/log.py").run()
    at.button_group(key="log:kind:picker").set_value("conflict_started").run()
    at.text_input(key=field("conflict_started", "topic")).input(MARKERS["topic"])
    at.text_area(key=field("conflict_started", "note")).input(MARKERS["note"])
    submit(at)
    at.button_group(key="log:kind:picker").set_value("promise_made").run()
    at.text_input(key=field("promise_made", "description")).input(MARKERS["description"])
    at.datetime_input(key=field("promise_made", "due")).set_value(datetime.now() + timedelta(days=2))
    submit(at)
    assert not at.error
    for page in ("overview", "timeline", "waiting", "guidance", "export"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
    texts = " ".join(m.value for m in at.markdown)
    assert texts  # the pages did show something
    assert leaks(data, MARKERS) == []
    check = build(Settings.from_env(data_dir=data, environ={"REPAIRTRACK_ENCRYPTION_KEY": key}))
    stored = check.app.entries(MARKERS["couple"])
    check.close()
    assert [e["type"] for e in stored] == ["couple_registered", "conflict_started", "promise_made"]
    assert stored[1]["topic"] == MARKERS["topic"] and stored[2]["description"] == MARKERS["description"]
