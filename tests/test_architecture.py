"""Imports point one way: dashboard -> (services, projections) -> domain, with the server and the command line
as adapters over the services. The domain imports only the standard library and eventsourcing; content only
the standard library; Streamlit only the dashboard and the server that hosts it; nothing imports the dashboard
or the command line; pages lay out and never query; couples are reached only through the service layer."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)


def module_names(path: Path, *, relative: bool = False) -> set[str]:
    """The module names a file imports (with `relative`, the names of `from .x import` too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and (relative or node.level == 0):
            names.add(node.module)
    return names


def imports(package: str) -> dict[str, set[str]]:
    """Top-level module names each file of a package imports."""
    return {
        str(path.relative_to(ROOT)): module_names(path) for path in sorted((ROOT / package).rglob("*.py"))
    }


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


# The rooms of the product below the adapters: what the server, the command line and the dashboard reach.
BELOW_ADAPTERS = {
    "repairtrack.services",
    "repairtrack.bootstrap",
    "repairtrack.config",
    "projections",
    "domain",
}
# Where each room may reach: the first prefix a file matches decides (more specific rooms first). A room may
# import the standard library, third-party packages not named in FORBIDDEN_THIRD_PARTY, and the rooms listed.
ROOMS: list[tuple[str, set[str]]] = [
    ("domain/", {"domain"}),
    ("content/", {"content"}),
    ("projections/", {"projections", "domain", "content"}),
    ("repairtrack/services/", BELOW_ADAPTERS | {"content"}),
    ("repairtrack/bootstrap.py", {"repairtrack.services", "repairtrack.config", "projections", "domain"}),
    ("repairtrack/config.py", {"domain"}),
    ("repairtrack/bounds.py", {"domain"}),
    ("repairtrack/docs.py", {"domain", "projections", "content"}),
    ("repairtrack/server/", BELOW_ADAPTERS | {"repairtrack.server", "repairtrack.bounds"}),
    (
        "repairtrack/cli/",
        BELOW_ADAPTERS | {"repairtrack.cli", "repairtrack.server", "repairtrack.bounds", "content"},
    ),
    ("repairtrack/__main__.py", {"repairtrack.cli"}),
    ("repairtrack/__init__.py", set()),
    ("dashboard/", BELOW_ADAPTERS | {"dashboard", "content"}),
    ("benchmarks/", {"benchmarks", "repairtrack", "projections", "domain", "content", "tests"}),
]
OURS = ("domain", "content", "projections", "repairtrack", "dashboard", "benchmarks", "tests")
# Third-party packages only some rooms may use: Streamlit belongs to the dashboard and the server that hosts it.
FORBIDDEN_THIRD_PARTY = {
    "domain/": {"*"},  # the domain: the standard library and eventsourcing only
    "content/": {"*"},  # content: the standard library only (its schema comes in from projections)
    "projections/": {"streamlit"},
    "repairtrack/services/": {"streamlit"},
    "repairtrack/cli/": {"streamlit"},
}
ALLOWED_THIRD_PARTY = {"domain/": {"eventsourcing"}, "content/": set()}


def room_of(file: str) -> tuple[str, set[str]]:
    for prefix, allowed in ROOMS:
        if file == prefix or file.startswith(prefix):
            return prefix, allowed
    raise AssertionError(f"{file} is in no room of the architecture; add it to ROOMS")


def reaches(name: str, allowed: set[str]) -> bool:
    return any(name == room or name.startswith(room + ".") for room in allowed)


def test_every_import_points_the_one_way() -> None:
    """dashboard -> (services, projections) -> domain; the server and the CLI are adapters over the services;
    content depends on the standard library and the schema handed to it; nothing imports the dashboard, and
    nothing but `python -m repairtrack` imports the CLI."""
    wrong: list[str] = []
    for package in ("domain", "content", "projections", "repairtrack", "dashboard", "benchmarks"):
        for file, names in imports(package).items():
            prefix, allowed = room_of(file)
            for name in sorted(names):
                top = name.split(".")[0]
                if top in OURS:
                    if not reaches(
                        name, allowed | {prefix.rstrip("/").replace("/", ".").removesuffix(".py")}
                    ):
                        wrong.append(f"{file} imports {name}")
                elif top not in STDLIB:
                    banned = FORBIDDEN_THIRD_PARTY.get(prefix, set())
                    if ("*" in banned and top not in ALLOWED_THIRD_PARTY.get(prefix, set())) or top in banned:
                        wrong.append(f"{file} imports {top}")
    assert not wrong, "\n".join(wrong)


def test_pages_and_api_routes_reach_couples_only_through_the_service_layer() -> None:
    """SPEC section 8's rules live in one layer: pages and API handlers never open the write application or the
    read model themselves."""
    direct = {"domain.application", "projections.readmodel", "repairtrack.bootstrap"}
    wiring = {"repairtrack/server/app.py"}  # builds the services once, like dashboard/store.py
    for package in ("dashboard/pages", "dashboard/components", "repairtrack/server"):
        for file, names in imports(package).items():
            if file in wiring:
                continue
            assert not names & direct, f"{file} reaches past the service layer: {names & direct}"


PAGES = sorted((ROOT / "dashboard" / "pages").glob("*.py"))
COMPUTING = {"duckdb", "polars", "pandas", "numpy", "sqlite3", "pyarrow"}
BEYOND_LAYOUT = ("projections.metrics", "projections.readmodel", "domain.couple")


def test_the_dashboard_has_its_pages_folder() -> None:
    assert (ROOT / "dashboard" / "pages").is_dir() and PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_lay_out_and_never_compute_or_query(page: Path) -> None:
    names = module_names(page, relative=True)
    assert not roots(names) & COMPUTING, f"{page.name} queries: {names}"
    assert "SELECT " not in page.read_text()
    assert not {n for n in names if n.startswith(BEYOND_LAYOUT)}, f"{page.name} computes: {names}"


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
