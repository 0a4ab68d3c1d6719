"""There is no shared passphrase gate any more (accounts replace it, SPEC section 8): in open mode the
dashboard opens on "Who is here" at once, and `repairtrack dashboard` refuses to serve beyond this
machine without accounts (tests/dashboard/test_shape.py) and without TLS or a trusted proxy
(tests/server/test_serving.py). Sign-in throttling is tested in tests/test_throttle.py and, over HTTP,
in tests/server/test_auth.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


def test_open_mode_has_no_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REPAIRTRACK_REQUIRE_PASSPHRASE", "1")  # the old switch means nothing now
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert "Who is here" in [t.value for t in at.title]
    assert not any(getattr(w, "label", "") == "Access passphrase" for w in at.text_input)


def test_nothing_refers_to_the_gate() -> None:
    assert not (ROOT / "dashboard" / "components" / "gate.py").exists()
    assert "gate" not in (ROOT / "dashboard" / "app.py").read_text()
