"""`repairtrack register` and `repairtrack log <type>`: one `log` command per entry type, made from the
entry fields of `domain.entries.FIELDS` (which fields, which are required, their ranges and choices) and
the vocabulary. What is written here is only how the command line words them: a command's name and one
line of help, an option's name where it differs from the field, and an option's help text."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Final

import typer

from domain.entries import FIELDS, Validator, csi4, horsemen, private
from domain.vocabulary import CSI4_RANGES, ENTRY_TYPES, HORSEMEN
from repairtrack.cli.app import Couple, cli, log_cli, now_iso, open_app

At = Annotated[
    str | None,
    typer.Option("--at", help="When it happened, ISO-8601 with offset (default: now)."),
]
EntryId = Annotated[str | None, typer.Option("--id", help="The entry's id (default: a new UUID).")]
LoggedBy = Annotated[str | None, typer.Option("--logged-by", help="Who is logging it (default: --by).")]

# The command of each entry type: the type's name with '-', or a shorter word for the entry that
# starts something (a conflict, a repair attempt, a promise, a bid).
SHORT_NAMES: Final = {
    "conflict_started": "conflict",
    "repair_offered": "repair",
    "promise_made": "promise",
    "bid_made": "bid",
    "appreciation_expressed": "appreciation",
    "entry_retracted": "retract",
}
SUMMARIES: Final = {
    "conflict_started": "A conflict started.",
    "conflict_resolved": "A conflict was resolved.",
    "repair_offered": "A repair attempt was offered.",
    "repair_accepted": "The other partner accepted a repair attempt.",
    "repair_declined": "The other partner declined a repair attempt.",
    "promise_made": "A promise was made.",
    "promise_kept": "A promise was kept.",
    "promise_broken": "A promise was broken.",
    "promise_renegotiated": "A promise got a new due time, before the old one passed.",
    "promise_released": "A promise was released by agreement, before it was due.",
    "check_in": "A check-in: how close and how trusting it feels, with the CSI-4 if you like.",
    "bid_made": "A bid for connection, and how the other partner met it.",
    "appreciation_expressed": "An appreciation was expressed.",
    "entry_retracted": "Retract an earlier entry: it (and what depends on it) is treated as never recorded.",
}
OPTION_NAMES: Final = {"horsemen": "--horseman", "due_at": "--due"}
# Help of an option; {choices} and {low}/{high} are filled in from the field's validator.
HELP: Final = {
    "by": "The partner who did it.",
    "topic": "What it was about, in a few words.",
    "intensity": "{low} (mild) to {high} (intense).",
    "horsemen": "{choices}; repeatable.",
    "kind": "{choices}.",
    "conflict": "The conflict's id.",
    "repair_offered.conflict": "The conflict it belongs to.",
    "attempt": "The repair attempt's id.",
    "description": "What was promised.",
    "due_at": "When it is due, ISO-8601 with offset.",
    "promise_renegotiated.due_at": "The new due time, ISO-8601 with offset.",
    "promise": "The promise's id.",
    "closeness": "{low}-{high}.",
    "trust": "{low}-{high}.",
    "csi4": "The four CSI-4 answers, e.g. 4,3,3,4 ({ranges}).",
    "response": "How the other met it: {choices}.",
    "entry": "The id of the entry to retract.",
    "reason": "Why (optional).",
    "note": "A note.",
    "private": "Show the note only to its author; never exported.",
}
# What `log` says it stored: "stored {what} by ana at 2026-11-02 19:30 (+01:00), id ...".
STORED: Final = {
    "couple_registered": "the registration of {couple}",
    "conflict_started": "a conflict",
    "conflict_resolved": "a conflict's resolution",
    "repair_offered": "a repair attempt",
    "repair_accepted": "the acceptance of a repair attempt",
    "repair_declined": "the decline of a repair attempt",
    "promise_made": "a promise",
    "promise_kept": "a kept promise",
    "promise_broken": "a broken promise",
    "promise_renegotiated": "a promise's new due time",
    "promise_released": "a promise's release",
    "check_in": "a check-in",
    "bid_made": "a bid for connection",
    "appreciation_expressed": "an appreciation",
    "entry_retracted": "a retraction",
}
DEFAULTS: Final[dict[str, Any]] = {"intensity": 3}  # required by the format, but a sensible default here


def command_name(entry_type: str) -> str:
    return SHORT_NAMES.get(entry_type, entry_type.replace("_", "-"))


def _words(options: tuple[str, ...], last: str) -> str:
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])}{last}{options[-1]}"


def _facts(validate: Validator) -> dict[str, Any]:
    """What a validator knows: the choices of `choice(...)`, the range of `integer(...)`."""
    if validate is horsemen:
        return {"choices": _words(HORSEMEN, " or ")}
    if validate is csi4:
        return {"ranges": ", ".join(f"{low}-{high}" for low, high in CSI4_RANGES)}
    found = inspect.getclosurevars(validate).nonlocals
    if "options" in found:
        return {"choices": _words(found["options"], ", ")}
    return {key: found[key] for key in ("low", "high") if key in found}


def _option(entry_type: str, field: str, required: bool, validate: Validator) -> inspect.Parameter:
    help_text = HELP.get(f"{entry_type}.{field}", HELP[field]).format(**_facts(validate))
    flag = OPTION_NAMES.get(field, f"--{field.replace('_', '-')}")
    default: Any = DEFAULTS.get(field, ... if required else None)
    kind: Any
    if validate is private:
        kind, default = bool, False
    elif validate is horsemen:
        kind, default = list[str] | None, None
    elif "low" in _facts(validate):
        kind = int
    else:
        kind = str
    if default is None:
        kind = kind | None
    return inspect.Parameter(
        field,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[kind, typer.Option(flag, help=help_text)],
        default=inspect.Parameter.empty if default is ... else default,
    )


def _answers(text: str) -> list[Any]:
    """`4,3,3,4` as the format holds it; what is not a number stays as given, for the domain to refuse."""
    return [int(a) if a.strip().lstrip("-").isdigit() else a for a in text.split(",")]


def record(couple: str, entry_type: str, at: str | None, entry_id: str | None, **fields: Any) -> None:
    entry = {
        "type": entry_type,
        "couple": couple,
        "occurred_at": at or now_iso(),
        "id": entry_id,
        **{k: v for k, v in fields.items() if v is not None and v is not False},
    }
    with open_app() as app:
        stored = app.record(entry, source="cli")
        registration = app.describe(couple)
    zone = registration.timezone if registration is not None else "UTC"
    typer.echo(stored_line(entry, stored, zone))


def stored_line(entry: dict[str, Any], stored_id: str, zone: str) -> str:
    """What was stored, in one line that ends with the entry's id: "stored a check-in by ana at
    2026-11-02 19:30 (+01:00), id 3f2a..." (the time in the couple's zone)."""
    from domain.entries import parse_instant
    from repairtrack.cli.text import local_time

    what = STORED[entry["type"]].format(couple=entry["couple"])
    by = entry.get("by")
    logged_by = entry.get("logged_by")
    who = f" by {by}" if by else f" (logged by {logged_by})" if logged_by else ""
    when = local_time(parse_instant(entry["occurred_at"]), zone)
    return f"stored {what}{who} at {when}, id {stored_id}"


def log_command(entry_type: str) -> Callable[..., None]:
    """The `log` command of one entry type, its options made from the type's fields."""
    fields = FIELDS[entry_type]
    options = [_option(entry_type, name, required, check) for name, (required, check) in fields.items()]
    options.sort(key=lambda p: p.default is not inspect.Parameter.empty)  # required ones first
    common = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
        for name, kind, default in (
            ("at", At, None),
            ("entry_id", EntryId, None),
            ("logged_by", LoggedBy, None),
        )
    ]
    couple = inspect.Parameter("couple", inspect.Parameter.KEYWORD_ONLY, annotation=Couple)
    parameters = [couple, *options, *common]

    def command(**given: Any) -> None:
        values = {name: given[name] for name in fields}
        if "horsemen" in values:
            values["horsemen"] = values["horsemen"] or []
        if values.get("csi4") is not None:
            values["csi4"] = _answers(values["csi4"])
        record(
            given["couple"],
            entry_type,
            given["at"],
            given["entry_id"],
            **values,
            logged_by=given["logged_by"],
        )

    command.__name__ = f"log_{entry_type}"
    command.__doc__ = SUMMARIES[entry_type]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command


LOGGED: Final = tuple(t for t in ENTRY_TYPES if t != "couple_registered")  # registering has its own command
for _type in LOGGED:
    log_cli.command(command_name(_type))(log_command(_type))


@cli.command()
def register(
    couple: Couple,
    partner: Annotated[list[str], typer.Option("--partner", help="handle:Name, given twice (A first).")],
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = "UTC",
    at: At = None,
    entry_id: EntryId = None,
) -> None:
    """Register a couple: two partners and a time zone."""
    partners = []
    for item in partner:
        handle, _, name = item.partition(":")
        partners.append({"handle": handle, "name": name or handle})
    record(couple, "couple_registered", at, entry_id, partners=partners, timezone=timezone)
