"""The command line's surface: every command and subcommand has help text and is named in README.md's
command-line section, the `log` commands are made from the entry fields, and nothing but
`python -m repairtrack` imports the command line (services are for the CLI, the dashboard and the API alike)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from domain.entries import FIELDS
from domain.vocabulary import ENTRY_TYPES
from repairtrack.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def commands(group: Any = None, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(path, command) for every command and subcommand, groups included."""
    group = group if group is not None else get_command(cli)
    found = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if hasattr(command, "commands"):
            found += commands(command, (*path, name))
    return found


def readme_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## The command line")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


COMMANDS = commands()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_is_named_in_the_readme(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"repairtrack {' '.join(path)} has no help text"
    section = readme_section()
    name = " ".join(path)
    named = f"repairtrack {name}" in section or f"`{name}`" in section or f"| {name}" in section
    assert named, f"README.md's command-line section does not name `repairtrack {name}`"


def test_the_commands_include_import_log_and_one_log_command_per_entry_type() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"import", "log", "register", "metrics", "export"} <= names
    logged = [p for p, _ in COMMANDS if p[0] == "log" and len(p) == 2]
    assert len(logged) == len(ENTRY_TYPES) - 1  # couple_registered has `register`


@pytest.mark.parametrize("entry_type", [t for t in ENTRY_TYPES if t != "couple_registered"])
def test_each_log_command_offers_an_option_for_every_field_of_its_type(entry_type: str) -> None:
    from repairtrack.cli.log import OPTION_NAMES, command_name

    command = get_command(cli).commands["log"].commands[command_name(entry_type)]  # type: ignore[attr-defined]
    flags = {flag for param in command.params for flag in param.opts}
    wanted = {OPTION_NAMES.get(f, f"--{f.replace('_', '-')}") for f in FIELDS[entry_type]}
    assert wanted | {"--couple", "--at", "--id", "--logged-by"} <= flags


def test_the_log_help_lists_the_vocabulary_it_was_made_from() -> None:
    from domain.vocabulary import BID_RESPONSES, HORSEMEN, REPAIR_KINDS

    log = get_command(cli).commands["log"].commands  # type: ignore[attr-defined]
    helps = {c: " ".join(p.help or "" for p in log[c].params) for c in ("conflict", "repair", "bid")}
    assert all(word in helps["conflict"] for word in HORSEMEN)
    assert all(word in helps["repair"] for word in REPAIR_KINDS)
    assert all(word in helps["bid"] for word in BID_RESPONSES)


def test_nothing_imports_the_command_line_but_python_dash_m() -> None:
    importers = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "build", "data"} or relative.parts[:2] == (
            "repairtrack",
            "cli",
        ):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "repairtrack.cli" or n.startswith("repairtrack.cli.") for n in names):
                importers.append(str(relative))
    assert set(importers) <= {"repairtrack/__main__.py"}, importers
