"""`repairtrack dashboard`: the Streamlit dashboard over the same store, this machine only unless an
access passphrase is set."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from domain.errors import Refusal
from repairtrack.cli.app import cli, settings


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_remote_access(host: str) -> dict[str, str]:
    """Listening beyond this machine needs an access passphrase (`repairtrack passphrase`); the
    dashboard then asks every new session for it. Returns what the dashboard's environment needs."""
    if is_loopback(host):
        return {}
    from repairtrack.services.access import is_set

    if not is_set(settings().data_dir):
        raise Refusal(
            f"--host {host}",
            "access.passphrase_missing",
            "the dashboard would be reachable from other devices; set an access passphrase first with "
            "`repairtrack passphrase`",
        )
    return {"REPAIRTRACK_REQUIRE_PASSPHRASE": "1"}


@cli.command()
def dashboard(
    host: Annotated[
        str, typer.Option(help="Address to listen on (this machine only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8501,
) -> None:
    """Start the dashboard (Streamlit) on http://HOST:PORT, over the same store as these commands."""
    from importlib.util import find_spec

    remote = check_remote_access(host)
    # Where the dashboard package lives (found, not imported: nothing imports dashboard/).
    spec = find_spec("dashboard")
    places = list(spec.submodule_search_locations or []) if spec else []
    folder = next((Path(p) for p in places if (Path(p) / "app.py").is_file()), None)
    if folder is None:
        typer.echo("the dashboard package is not installed next to repairtrack", err=True)
        raise typer.Exit(1)
    root = folder.parent
    env = dict(os.environ)
    env["REPAIRTRACK_DATA_DIR"] = str(settings().data_dir)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.pop("REPAIRTRACK_REQUIRE_PASSPHRASE", None)
    env.update(remote)
    args = [
        sys.executable,
        "-m",
        "dashboard.launch",  # streamlit run dashboard/app.py (see there why not plainly)
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--server.runOnSave",
        "false",
        "--global.developmentMode",
        "false",
    ]
    typer.echo(f"repairtrack dashboard on http://{host}:{port} (store: {settings().describe_store()})")
    sys.stdout.flush()
    os.execve(sys.executable, args, env)  # noqa: S606 (the dashboard replaces this process)
