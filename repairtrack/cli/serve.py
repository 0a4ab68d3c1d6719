"""`repairtrack dashboard`: the dashboard, the sign-in routes and the HTTP API on one address
(`repairtrack.server`), this machine only unless the store has accounts and the connection is encrypted."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from repairtrack.cli.app import cli, settings
from repairtrack.server.options import ServeOptions, check_options, is_loopback


def has_accounts() -> bool:
    """Whether the store is in accounts mode (SPEC section 8, "Modes")."""
    from repairtrack.bootstrap import services

    with services(settings()) as built:
        return built.accounts.has_accounts()


@cli.command()
def dashboard(
    host: Annotated[
        str, typer.Option(help="Address to listen on (this machine only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8501,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM) to serve HTTPS with.")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="The certificate's private key (PEM).")
    ] = None,
    trusted_proxy: Annotated[
        str | None,
        typer.Option(
            "--trusted-proxy",
            help="IP address of a reverse proxy that terminates TLS; X-Forwarded-For counts only from it.",
        ),
    ] = None,
) -> None:
    """Start the dashboard and the HTTP API on http(s)://HOST:PORT, over the same store as these commands."""
    from repairtrack.server.streamlit_setup import dashboard_script

    options = ServeOptions(host, port, tls_cert, tls_key, trusted_proxy)
    check_options(options, accounts=is_loopback(host) or has_accounts())
    script = dashboard_script()
    if script is None:
        typer.echo("the dashboard package is not installed next to repairtrack", err=True)
        raise typer.Exit(1)
    from repairtrack.server.app import serve

    typer.echo(f"repairtrack dashboard on {options.url()} (store: {settings().describe_store()})")
    sys.stdout.flush()
    serve(options, settings(), script)
