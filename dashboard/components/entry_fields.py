"""The fields of the entry forms (dashboard.components.entry_form) and the widgets that place them.

Every field keeps its value in `st.session_state` under `form:<couple>:<type>:<field>` (`prefix`), so a
refused entry keeps all that was typed; each problem is shown under the field it names. Times are typed in
the couple's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import compose
from dashboard.components import errors
from dashboard.words import (
    BID_LINES,
    CSI4_ITEMS,
    HORSEMAN_LINES,
    INTENSITY_LABELS,
    REPAIR_EXAMPLES,
)
from domain.vocabulary import BID_RESPONSES, HORSEMEN, MAX_TEXT, MAX_TOPIC, REPAIR_KINDS
from projections.escaping import escape_markdown

WITH_BY: Final = frozenset(
    {"conflict_started", "repair_offered", "promise_made", "check_in", "bid_made", "appreciation_expressed"}
)
WITH_NOTE: Final = frozenset(
    {
        "conflict_started",
        "conflict_resolved",
        "repair_offered",
        "promise_kept",
        "promise_broken",
        "check_in",
        "bid_made",
        "appreciation_expressed",
    }
)
PROMISE_TYPES: Final = frozenset(
    {"promise_kept", "promise_broken", "promise_renegotiated", "promise_released"}
)


@dataclass(frozen=True)
class Context:
    """What a form needs to know about the couple, read once per rerun by the page."""

    couple: str
    partner: str  # who is using the app now: the default `by`, always `logged_by`
    names: Mapping[str, str]  # handle -> name, registration order
    timezone: str
    conflicts: Sequence[tuple[str, str]] = ()  # unresolved conflicts: (id, label)
    attempts: Sequence[tuple[str, str]] = ()  # attempts awaiting this partner's answer
    promises: Sequence[tuple[str, str]] = ()  # open promises of both partners
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


def prefix(couple: str, kind: str) -> str:
    return f"form:{couple}:{kind}:"


def problems_key(couple: str, kind: str) -> str:
    return f"problems:{couple}:{kind}"


def saved_key(couple: str, kind: str) -> str:
    return f"saved:{couple}:{kind}"


def correcting_key(couple: str, kind: str) -> str:
    return f"correcting:{couple}:{kind}"


def _key(context: Context, kind: str, name: str) -> str:
    return prefix(context.couple, kind) + name


def _default(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def moment_field(
    context: Context, kind: str, name: str, label: str, problems: errors.Problems, field_name: str, help: str
) -> None:
    key = _key(context, kind, name)
    _default(key, None)
    st.datetime_input(label, key=key, step=timedelta(minutes=1), help=help, format="YYYY-MM-DD")
    offset = compose.offset_text(context.now.astimezone(ZoneInfo(context.timezone)))
    st.caption(f"In {context.timezone} (now {offset}).")
    typed = st.session_state.get(key)
    fold_key = _key(context, kind, f"{name}_fold")
    if typed is not None and (
        st.session_state.get(_key(context, kind, f"{name}_fold_needed")) or fold_key in st.session_state
    ):
        choices = dict(compose.fold_choices(typed, context.timezone))
        if compose.resolve_local(typed, context.timezone).ambiguous:
            _default(fold_key, None)
            st.radio(
                "That hour happened twice. Which one?",
                options=list(choices),
                format_func=choices.__getitem__,
                key=fold_key,
                horizontal=True,
            )
    errors.show(problems, field_name)


def _choice(
    context: Context,
    kind: str,
    name: str,
    label: str,
    options: Sequence[tuple[str, str]],
    problems: errors.Problems,
    *,
    optional: str | None = None,
    empty: str = "",
) -> None:
    key = _key(context, kind, name)
    labels: dict[Any, str] = dict(options)
    ids: list[Any] = [identifier for identifier, _ in options]
    correction = st.session_state.get(correcting_key(context.couple, kind)) or {}
    if correction.get("choice") and correction["choice"][0] == name and correction["choice"][1] not in labels:
        _field, ref, label = correction["choice"]
        labels[ref] = label
        ids.append(ref)
    if optional is not None:
        labels[None] = optional
        ids = [None, *ids]
    if st.session_state.get(key) not in ids:
        st.session_state.pop(key, None)
    if not ids:
        st.info(empty, icon=":material/info:")
    st.selectbox(
        label,
        options=ids,
        format_func=labels.__getitem__,
        key=key,
        index=0 if optional is not None else None,
        placeholder="Choose one",
    )
    errors.show(problems, name)


@dataclass(frozen=True)
class About:
    """The field of an entry that answers another: its name, its question, the entries it can choose
    from, and what the form says when there are none."""

    name: str
    label: str
    options: Callable[[Context], Sequence[tuple[str, str]]]
    empty: str


_CONFLICT = About("conflict", "Which conflict", lambda c: c.conflicts, "There is no unresolved conflict.")
_ATTEMPT = About(
    "attempt",
    "Which repair attempt",
    lambda c: c.attempts,
    "No repair attempt of the other partner is waiting for your answer.",
)
_PROMISE = About("promise", "Which promise", lambda c: c.promises, "There is no open promise.")
ABOUT: Final = {
    "conflict_resolved": _CONFLICT,
    "repair_accepted": _ATTEMPT,
    "repair_declined": _ATTEMPT,
    **dict.fromkeys(PROMISE_TYPES, _PROMISE),
}


def note_field(context: Context, kind: str, problems: errors.Problems) -> None:
    _default(_key(context, kind, "note"), "")
    st.text_area("Note (optional)", key=_key(context, kind, "note"), max_chars=MAX_TEXT, height=80)
    _default(_key(context, kind, "private"), False)
    st.toggle(
        "Private note",
        key=_key(context, kind, "private"),
        help="Shown only to whoever logged it, and never exported. It hides the note on a shared screen; "
        "it does not lock it away.",
    )
    errors.show(problems, "note", "private")


def by_field(context: Context, kind: str, problems: errors.Problems, label: str) -> None:
    key = _key(context, kind, "by")
    _default(key, context.partner)
    st.radio(  # a radio's options are Markdown
        label,
        options=list(context.names),
        format_func=lambda handle: escape_markdown(context.names[handle]),
        key=key,
        horizontal=True,
    )
    errors.show(problems, "by", "logged_by")


BY_LABELS: Final = {
    "conflict_started": "Who raised it",
    "repair_offered": "Who offered it",
    "promise_made": "Who promised",
    "check_in": "Whose check-in",
    "bid_made": "Who made the bid",
    "appreciation_expressed": "Who expressed it",
}

# Every field a form places, so problems about anything else are shown at the end.
PLACED: Final = (
    "occurred_at",
    "by",
    "logged_by",
    "topic",
    "horsemen",
    "intensity",
    "conflict",
    "kind",
    "attempt",
    "promise",
    "description",
    "due_at",
    "closeness",
    "trust",
    "csi4",
    "response",
    "note",
    "private",
)


def _word_field(
    context: Context,
    kind: str,
    problems: errors.Problems,
    name: str,
    label: str,
    words: Mapping[str, tuple[str, str]],
    default: str,
) -> None:
    """One word of a vocabulary, chosen on a radio: `words` gives each its title and the caption under it."""
    key = _key(context, kind, name)
    _default(key, default)
    st.radio(
        label,
        options=list(words),
        format_func=lambda word: words[word][0],
        captions=[caption for _title, caption in words.values()],
        key=key,
    )
    errors.show(problems, name)


def _title_and_caption(line: str) -> tuple[str, str]:
    """ "Turned toward: noticed it ..." -> ("Turned toward", "noticed it ...")."""
    title, caption = line.split(": ", 1)
    return title, caption


def _answer_label(labels: Sequence[str]) -> Callable[[int], str]:
    def label(value: int) -> str:
        return f"{value} · {labels[value]}"

    return label


def type_fields(context: Context, kind: str, problems: errors.Problems) -> None:
    key: Callable[[str], str] = lambda name: _key(context, kind, name)  # noqa: E731
    if kind == "conflict_started":
        _default(key("topic"), "")
        st.text_input(
            "What it was about", key=key("topic"), max_chars=MAX_TOPIC, placeholder="e.g. money, chores"
        )
        errors.show(problems, "topic")
        st.markdown("Which of the four horsemen showed up? (optional)")
        for name in HORSEMEN:
            _default(key(f"horseman_{name}"), False)
            st.toggle(name.capitalize(), key=key(f"horseman_{name}"))
            st.caption(HORSEMAN_LINES[name])
        errors.show(problems, "horsemen")
        _default(key("intensity"), 3)
        st.select_slider(
            "How intense",
            options=list(INTENSITY_LABELS),
            format_func=INTENSITY_LABELS.__getitem__,
            key=key("intensity"),
        )
        errors.show(problems, "intensity")
    if kind == "repair_offered":
        repairs = {name: (name.capitalize(), REPAIR_EXAMPLES[name]) for name in REPAIR_KINDS}
        _word_field(context, kind, problems, "kind", "What kind of repair", repairs, default="apology")
        _choice(
            context,
            kind,
            "conflict",
            "During which conflict (optional)",
            context.conflicts,
            problems,
            optional="Not linked to a conflict",
        )
    if kind in ABOUT:
        about = ABOUT[kind]
        _choice(context, kind, about.name, about.label, about.options(context), problems, empty=about.empty)
    if kind == "promise_made":
        _default(key("description"), "")
        st.text_input(
            "What was promised",
            key=key("description"),
            max_chars=MAX_TEXT,
            placeholder="e.g. call when I'm running late",
        )
        errors.show(problems, "description")
    if kind in ("promise_made", "promise_renegotiated"):
        moment_field(
            context,
            kind,
            "due",
            "Due" if kind == "promise_made" else "New due time",
            problems,
            "due_at",
            "When it should be done, in the couple's time zone.",
        )
    if kind == "check_in":
        for name, label in (("closeness", "How close do you feel?"), ("trust", "How much do you trust?")):
            _default(key(name), 5)
            st.slider(f"{label} (1-10)", min_value=1, max_value=10, key=key(name))
            errors.show(problems, name)
        with st.expander("Satisfaction questions (CSI-4, optional: all four or none)"):
            for number, (question, labels) in enumerate(CSI4_ITEMS, start=1):
                _default(key(f"csi4_{number}"), None)
                st.radio(
                    question,
                    options=list(range(len(labels))),
                    format_func=_answer_label(labels),
                    key=key(f"csi4_{number}"),
                    horizontal=True,
                    index=None,
                )
            st.caption("The Couples Satisfaction Index, short form (Funk & Rogge, 2007).")
        errors.show(problems, "csi4")
    if kind == "bid_made":
        responses = {name: _title_and_caption(BID_LINES[name]) for name in BID_RESPONSES}
        _word_field(
            context, kind, problems, "response", "How the other partner met it", responses, default="toward"
        )
