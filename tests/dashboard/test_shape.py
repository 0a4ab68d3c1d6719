"""The dashboard's own rules, read off the code: app.py holds page set-up and navigation only; Streamlit's
caches live in one module; the `dashboard` command keeps to loopback. The rules it shares with the rest
of the tree (pages lay out and never query or compute; projections never import Streamlit; nothing
outside dashboard/ imports it) are in tests/test_architecture.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from repairtrack.cli import main

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"
MINE = sorted(p for p in DASHBOARD.rglob("*.py") if p.name != "export.py")


def st_calls(path: Path) -> set[str]:
    calls = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "st":
            calls.add(node.attr)
    return calls


def test_app_holds_page_set_up_and_navigation_only() -> None:
    assert st_calls(DASHBOARD / "app.py") <= {"set_page_config", "navigation", "Page"}


def test_streamlit_caches_live_in_one_module() -> None:
    users = [p.name for p in MINE if {"cache_data", "cache_resource"} & st_calls(p)]
    assert users == ["store.py"]


def test_the_dashboard_command_refuses_remote_hosts_in_open_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store without accounts is served on this machine only (SPEC section 8); the other refusals
    (no TLS, half a TLS pair) are in tests/server/test_serving.py."""
    with pytest.raises(SystemExit) as stopped:
        main(["--data-dir", str(tmp_path), "dashboard", "--host", "0.0.0.0"])
    assert stopped.value.code == 2
    said = capsys.readouterr().err
    assert "serve.open_mode" in said and "repairtrack account invite" in said


def test_the_navigation_lists_the_export_page() -> None:
    assert 'st.Page("pages/export.py"' in (DASHBOARD / "app.py").read_text()
