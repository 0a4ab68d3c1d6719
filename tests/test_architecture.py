"""Imports point one way: dashboard -> projections -> domain. The domain imports only the standard
library and eventsourcing; projections never import streamlit; nothing imports the dashboard; pages
lay out and never query."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)


def imports(package: str) -> dict[str, set[str]]:
    """Top-level module names each file of a package imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_the_domain_imports_only_the_standard_library_and_eventsourcing() -> None:
    for file, names in imports("domain").items():
        outside = roots(names) - STDLIB - {"eventsourcing", "domain"}
        assert not outside, f"{file} imports {outside}"


def test_projections_never_import_streamlit_or_the_dashboard() -> None:
    for file, names in imports("projections").items():
        assert not roots(names) & {"streamlit", "dashboard", "repairtrack"}, f"{file}: {names}"


def test_nothing_imports_the_dashboard() -> None:
    for package in ("domain", "projections", "repairtrack", "content", "benchmarks"):
        for file, names in imports(package).items():
            assert "dashboard" not in roots(names), f"{file} imports the dashboard"


def test_pages_lay_out_and_never_query() -> None:
    pages = ROOT / "dashboard" / "pages"
    assert pages.is_dir()
    for file, names in imports("dashboard/pages").items():
        assert not roots(names) & {"duckdb", "polars", "sqlite3", "pyarrow"}, f"{file} queries: {names}"


def test_only_the_dashboard_uses_streamlit() -> None:
    """... and the web server that serves it (`repairtrack/server/`, Streamlit's `st.App` under uvicorn)."""
    for package in ("domain", "projections", "repairtrack", "content"):
        for file, names in imports(package).items():
            if file.startswith("repairtrack/server/"):
                continue
            assert "streamlit" not in roots(names), f"{file} imports streamlit"


def test_no_adapter_imports_the_couple_aggregate() -> None:
    """The aggregate stays in the domain: outside it, the application's plain values (`describe`,
    `exists`, `entries`), `domain.interface` and `domain.retraction` are what there is."""
    for package in ("projections", "repairtrack", "dashboard", "benchmarks", "content"):
        for file, names in imports(package).items():
            assert "domain.couple" not in names, f"{file} imports the Couple aggregate's module"


def test_only_the_composition_root_builds_the_concrete_stores() -> None:
    concrete = {"projections.readmodel", "projections.sealing", "domain.application"}
    builders = {
        file
        for package in ("repairtrack", "dashboard")
        for file, names in imports(package).items()
        if any(name in concrete for name in names) and "ReadModel(" in (ROOT / file).read_text()
    }
    assert builders <= {"repairtrack/bootstrap.py"}, builders
