"""`repairtrack`: the command line over the same store the dashboard uses.

One module per command group: `log` (register and one `log` command per entry type), `read` (couples,
entries, metrics), `store` (import, demo, rebuild, backup, restore, forget, keygen, passphrase), `export`
and `serve` (dashboard); `app` holds the Typer application and what they share, `text` the terminal
renderings. The work is done by `repairtrack.services` and the domain; the commands parse, call, print.

Exit codes: 0 success, 2 refused input (one line per problem on stderr, `field: code: detail`), 1 anything
else (the store is busy or unreachable); never a traceback unless REPAIRTRACK_DEBUG=1. Heavy libraries are
imported inside the commands that need them, so `repairtrack log ...` starts quickly.
"""

from __future__ import annotations

import os
import sys

import typer

from domain.errors import BatchRefused, EntryRefused, Refusal
from repairtrack.cli import account, export, log, read, serve, store
from repairtrack.cli.app import cli, log_cli

__all__ = ["account", "cli", "export", "log", "log_cli", "main", "read", "serve", "store"]


def main(args: list[str] | None = None) -> None:
    """Run the command line (on `args`, default the process's arguments): refusals become their lines
    and exit code 2 (1 for a busy store), any other failure one sentence from
    `repairtrack.services.failures.explain` and exit code 1."""
    try:
        cli(args=args)
    except BrokenPipeError:  # the reader of our output went away (`... | head`): nothing to say
        sys.stderr.close()
        os._exit(1)
    except (BatchRefused, EntryRefused, Refusal) as refused:
        for line in str(refused).splitlines():
            typer.echo(line, err=True)
        sys.exit(1 if isinstance(refused, Refusal) and refused.transient else 2)
    except Exception as error:
        if os.environ.get("REPAIRTRACK_DEBUG"):
            raise
        from repairtrack.cli.app import settings
        from repairtrack.services.failures import explain

        typer.echo(f"repairtrack: {explain(error, settings())}", err=True)
        sys.exit(1)
