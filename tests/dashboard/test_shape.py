"""The dashboard's rules, read off the code: app.py holds page set-up and navigation only; pages lay out
(no SQL, no polars, no DuckDB); Streamlit's caches live in one module; the chart builders and presenters
never import Streamlit; nothing outside dashboard/ imports it; the `dashboard` command keeps to loopback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from repairtrack.cli import main

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"
MINE = sorted(p for p in DASHBOARD.rglob("*.py") if p.name != "export.py")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def st_calls(path: Path) -> set[str]:
    calls = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "st":
            calls.add(node.attr)
    return calls


def test_app_holds_page_set_up_and_navigation_only() -> None:
    assert st_calls(DASHBOARD / "app.py") <= {"set_page_config", "navigation", "Page"}


@pytest.mark.parametrize("page", sorted((DASHBOARD / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_lay_out_and_never_compute(page: Path) -> None:
    names = imported(page)
    assert not {n for n in names if n.split(".")[0] in {"duckdb", "polars", "pandas", "numpy", "sqlite3"}}
    assert "SELECT " not in page.read_text()
    assert not {
        n for n in names if n.startswith(("projections.metrics", "projections.readmodel", "domain.couple"))
    }


def test_streamlit_caches_live_in_one_module() -> None:
    users = [p.name for p in MINE if {"cache_data", "cache_resource"} & st_calls(p)]
    assert users == ["store.py"]


def test_projections_never_import_streamlit() -> None:
    for path in (ROOT / "projections").glob("*.py"):
        assert not {n for n in imported(path) if n.split(".")[0] == "streamlit"}, path


def test_nothing_outside_the_dashboard_imports_it() -> None:
    for package in ("domain", "projections", "repairtrack", "content"):
        for path in (ROOT / package).rglob("*.py"):
            assert not {n for n in imported(path) if n.split(".")[0] == "dashboard"}, path


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
