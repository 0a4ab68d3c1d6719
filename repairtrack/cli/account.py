"""Accounts (SPEC section 8): `account invite`, `list`, `disable`, `enable`, `reset`, `token` and `calendar`
(the private calendar feed of SPEC section 11). The
operator's commands: the work is done by `repairtrack.services.identity`; these parse, call and print.
A code or a token is shown once, alone on the last line of the output, and stored only as a hash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from domain.errors import Refusal
from repairtrack.cli.app import cli, settings

if TYPE_CHECKING:
    from repairtrack.services.identity import Accounts, Invite

account_cli = typer.Typer(help="Accounts of partners and counselors: invite, list, disable, reset, tokens.")
cli.add_typer(account_cli, name="account", no_args_is_help=True)

Hours = Annotated[int, typer.Option("--hours", help="How long the code can be used, in hours (1 to 720).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of sentences.")]
Name = Annotated[str, typer.Argument(help="The account's name.")]


@contextmanager
def open_accounts() -> Iterator[Accounts]:
    from repairtrack.bootstrap import build_accounts, build_app, build_identity

    chosen = settings()
    app = build_app(chosen)
    try:
        identity = build_identity(chosen)
        try:
            accounts = build_accounts(chosen, app, identity)
            try:
                yield accounts
            finally:
                accounts.close()
        finally:
            identity.close()
    finally:
        app.close()


def _show(invite: Invite, as_json: bool, sentence: str) -> None:
    if as_json:
        typer.echo(json.dumps({"code": invite.code, "path": invite.path}))
        return
    typer.echo(sentence)
    typer.echo(f"open {invite.path} on the dashboard, or give this code (shown only now):")
    typer.echo(invite.code)


@account_cli.command("invite")
def invite(
    couple: Annotated[str | None, typer.Option("--couple", "-c", help="The couple of the partner.")] = None,
    partner: Annotated[str | None, typer.Option("--partner", help="The partner's handle.")] = None,
    counselor: Annotated[bool, typer.Option("--counselor", help="Invite a counselor instead.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="The counselor's display name.")] = None,
    hours: Hours = 72,
    as_json: Json = False,
) -> None:
    """Make a one-time invitation to join: for a partner of a couple, or for a counselor."""
    if counselor:
        if not name or couple or partner:
            raise Refusal(
                "name", "account.display_name", "a counselor's invitation needs --name and no couple"
            )
        with open_accounts() as accounts:
            made = accounts.invite_counselor(name, hours=hours)
        _show(made, as_json, f"an invitation for {name}, valid for {hours} hours")
        return
    if not couple or not partner:
        raise Refusal(
            "partner",
            "account.partner_missing",
            "invite a partner with --couple and --partner (or --counselor)",
        )
    with open_accounts() as accounts:
        made = accounts.invite_partner(couple, partner, hours=hours)
    _show(made, as_json, f"an invitation for {partner} of {couple}, valid for {hours} hours")


@account_cli.command("list")
def list_(as_json: Json = False) -> None:
    """List the accounts: name, role, couple and partner, disabled or not."""
    with open_accounts() as accounts:
        found = accounts.list_accounts()
    if as_json:
        rows = [
            {
                "account": a.name,
                "name": a.display_name,
                "role": a.role,
                "couple": a.couple,
                "partner": a.partner,
                "disabled": a.disabled,
            }
            for a in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not found:
        typer.echo(
            "no accounts yet: the store is in open mode (`repairtrack account invite` makes the first)"
        )
        return
    for a in found:
        bound = f"{a.partner} of {a.couple}" if a.role == "partner" else "counselor"
        state = "  (disabled)" if a.disabled else ""
        typer.echo(f"{a.name}  {a.display_name}  {bound}{state}")


@account_cli.command("disable")
def disable(name: Name) -> None:
    """Disable an account: its sessions and tokens end at once."""
    with open_accounts() as accounts:
        accounts.disable(name)
    typer.echo(f"{name} is disabled; its sessions and tokens have ended")


@account_cli.command("enable")
def enable(name: Name) -> None:
    """Enable a disabled account again (it signs in anew)."""
    with open_accounts() as accounts:
        accounts.enable(name)
    typer.echo(f"{name} is enabled again")


@account_cli.command("reset")
def reset(name: Name, hours: Hours = 72, as_json: Json = False) -> None:
    """A new one-time code to choose a new passphrase; sessions, tokens and the old passphrase end now."""
    with open_accounts() as accounts:
        made = accounts.reset(name, hours=hours)
    _show(made, as_json, f"{name}'s sessions and tokens have ended; a code to choose a new passphrase")


@account_cli.command("token")
def token(
    name: Name,
    days: Annotated[
        int | None, typer.Option("--days", help="Days until it expires (default: never).")
    ] = None,
    label: Annotated[str, typer.Option("--label", help="What it is for, to tell tokens apart.")] = "",
) -> None:
    """A personal access token for scripts and phone shortcuts, printed once on the last line."""
    with open_accounts() as accounts:
        made = accounts.create_token(name, days=days, label=label)
    until = f"for {days} days" if days else "until revoked"
    typer.echo(f"a personal token for {name}, valid {until}; it is shown only now:")
    typer.echo(made)


@account_cli.command("calendar")
def calendar(
    name: Name,
    off: Annotated[bool, typer.Option("--off", help="End the calendar feed.")] = False,
    details: Annotated[
        bool | None,
        typer.Option(
            "--details/--no-details",
            help="Put names and the words of promises in the feed (default: as before, else off).",
        ),
    ] = None,
) -> None:
    """A new private calendar feed for a partner (promises due, the weekly check-in); the old one ends.
    Its path is printed once, alone on the last line."""
    from repairtrack.services.calendar import DETAILS_WARNING, feed_path

    with open_accounts() as accounts:
        if off:
            ended = accounts.end_calendar(name)
            typer.echo(f"{name}'s calendar feed has ended" if ended else f"{name} had no calendar feed")
            return
        chosen = accounts.calendar_details(name) if details is None else details
        made = accounts.calendar_token(name, details=bool(chosen))
    if chosen:
        typer.echo(f"details are on: {DETAILS_WARNING}")
    else:
        typer.echo("details are off: the feed says only that a promise is due or a check-in comes up")
    typer.echo(f"a new calendar feed for {name}; any earlier feed has ended. Subscribe to this path at the")
    typer.echo("dashboard's address (it is shown only now):")
    typer.echo(feed_path(made))
