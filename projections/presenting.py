"""From the metrics object and timeline rows to what a person reads: formatted figures, metric cards with
their change against the previous window, table rows for every chart, and one plain line per entry.

Pure functions over plain values (no Streamlit), shared by the dashboard and anything else that shows
the same figures. Numbers are rounded for display by `projections.formatting`; the figures, their
thresholds and reference points come from `projections.figures`, the entry labels from
`projections.wording` (all three re-exported here for the pages).
Partners are always listed in registration order, side by side, never ranked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from domain.vocabulary import HORSEMEN
from projections.figures import CSI4_CUTOFF, REFERENCES, TOO_LITTLE, trust_known
from projections.formatting import (
    NO_CHANGE,
    NOTHING,
    local_text,
    mean_change,
    number,
    pct,
    rate_change,
    ratio,
    signed,
)
from projections.formatting import minutes as minutes_text
from projections.wording import RESPONSE_LABELS, TYPE_LABELS, counted, offered_words, repair_kind_word

__all__ = [
    "NOTHING",
    "NO_CHANGE",
    "RESPONSE_LABELS",
    "TOO_LITTLE",
    "TYPE_LABELS",
    "local_text",
    "mean_change",
    "minutes_text",
    "number",
    "pct",
    "rate_change",
    "ratio",
]

# The longest value a narrow metric card shows whole ("4.5 : 1", "100%"); Streamlit cuts a longer one.
SHORT_VALUE: Final = 7

# Entry types that can be retracted (SPEC section 3) and re-entered through a form ("correct").
NOT_RETRACTABLE: Final = frozenset({"couple_registered", "entry_retracted"})


def trust_text(score: float, weight: float) -> str:
    return f"{score:.0f}" if trust_known(weight) else TOO_LITTLE


# --------------------------------------------------------------------------------------------------
# Metric cards
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None  # the change against the previous window, None when there is nothing to compare
    help: str

    @property
    def unchanged(self) -> bool:
        """Whether the change rounds to nothing ("no change"): shown without an arrow."""
        return self.delta == NO_CHANGE

    @property
    def long_value(self) -> bool:
        """Whether the value is words rather than a figure ("too little to say"): too long for a narrow
        card, so its card takes the width of its text instead of cutting it short."""
        return len(self.value) > SHORT_VALUE


def overview_cards(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[Card]:
    """The couple's headline figures for the window, each with its change against the window before."""
    days = current["window_days"]
    repair, before_repair = current["repair"], previous["repair"]
    promises, before_promises = current["promises"], previous["promises"]
    trust, before_trust = current["trust_consistency"], previous["trust_consistency"]
    bids, before_bids = current["bids"], previous["bids"]
    pn, before_pn = current["positive_negative"], previous["positive_negative"]
    trust_delta = None
    if trust_known(trust["weight"]) and trust_known(before_trust["weight"]):
        trust_delta = signed(trust["score"] - before_trust["score"], 0)
    answered = repair["accepted"] + repair["declined"]
    return [
        Card(
            "Repair acceptance",
            pct(repair["acceptance_rate"]),
            rate_change(repair["acceptance_rate"], before_repair["acceptance_rate"]),
            f"Of the repair attempts offered in the last {days} days and answered, the share accepted: "
            f"{repair['accepted']} of {answered}, {repair['pending']} still waiting for an answer.",
        ),
        Card(
            "Promise keeping",
            pct(promises["keeping_rate"]),
            rate_change(promises["keeping_rate"], before_promises["keeping_rate"]),
            f"Of the promises due in the last {days} days, the share kept: {promises['kept']} of "
            f"{promises['due']} ({promises['kept_late']} kept late, {promises['broken']} broken, "
            f"{promises['lapsed']} lapsed). " + _not_due_yet(promises["open"]),
        ),
        Card(
            "Trust consistency",
            trust_text(trust["score"], trust["weight"]),
            trust_delta,
            REFERENCES["trust_consistency"].text("card", weight=f"{trust['weight']:.1f}"),
        ),
        Card(
            "Turned toward bids",
            pct(bids["turn_toward_rate"]),
            rate_change(bids["turn_toward_rate"], before_bids["turn_toward_rate"]),
            f"Bids for connection met with a turn toward: {bids['toward']} of {bids['total']} "
            f"(away {bids['away']}, against {bids['against']}). A proxy from what you logged.",
        ),
        Card(
            "Positive : negative",
            ratio(pn),
            mean_change(pn["ratio"], before_pn["ratio"]),
            f"{counted(pn['positive'], 'positive moment')} (appreciations, bids met toward) to "
            f"{pn['negative']} negative {'one' if pn['negative'] == 1 else 'ones'} (bids met against, "
            "horsemen named). A proxy from what you logged, not Gottman's observational coding.",
        ),
    ]


def _not_due_yet(open_promises: int) -> str:
    if open_promises == 1:
        return "1 open promise is not due yet."
    return f"{open_promises} open promises are not due yet."


def partner_cards(
    current: Mapping[str, Any], previous: Mapping[str, Any], partners: Mapping[str, str]
) -> dict[str, list[Card]]:
    """Per partner, side by side: the figures SPEC section 4 gives per partner."""
    cards: dict[str, list[Card]] = {}
    handles = list(partners)
    for handle, name in partners.items():
        other = partners[handles[1 - handles.index(handle)]] if len(handles) == 2 else "the other partner"
        repair = current["repair"]["by_partner"][handle]
        before_repair = previous["repair"]["by_partner"][handle]
        promises = current["promises"]["by_partner"][handle]
        before_promises = previous["promises"]["by_partner"][handle]
        trust = current["trust_consistency"]
        before_trust = previous["trust_consistency"]
        score, weight = trust["by_partner"][handle], trust["weight_by_partner"][handle]
        before_score = before_trust["by_partner"][handle]
        before_weight = before_trust["weight_by_partner"][handle]
        checks = current["check_ins"]["by_partner"][handle]
        before_checks = previous["check_ins"]["by_partner"][handle]
        trust_delta = None
        if trust_known(weight) and trust_known(before_weight):
            trust_delta = signed(score - before_score, 0)
        cards[handle] = [
            Card(
                "Repair attempts accepted",
                pct(repair["acceptance_rate"]),
                rate_change(repair["acceptance_rate"], before_repair["acceptance_rate"]),
                f"{name} offered {repair['offered']}; {other} accepted {repair['accepted']} and declined "
                f"{repair['declined']}; {repair['pending']} still waiting.",
            ),
            Card(
                "Promises kept",
                pct(promises["keeping_rate"]),
                rate_change(promises["keeping_rate"], before_promises["keeping_rate"]),
                f"{name}'s promises due in the window: {promises['kept']} kept of {promises['due']}; "
                f"{promises['open']} open.",
            ),
            Card(
                "Trust consistency",
                trust_text(score, weight),
                trust_delta,
                REFERENCES["trust_consistency"].text("partner_card", name=name, weight=f"{weight:.1f}"),
            ),
            Card(
                "Closeness at check-ins",
                number(checks["mean_closeness"]),
                mean_change(checks["mean_closeness"], before_checks["mean_closeness"]),
                f"Mean over {name}'s {counted(checks['count'], 'check-in')} in the window (1-10).",
            ),
            Card(
                "Trust at check-ins",
                number(checks["mean_trust"]),
                mean_change(checks["mean_trust"], before_checks["mean_trust"]),
                f"Mean over {name}'s {counted(checks['count'], 'check-in')} in the window (1-10).",
            ),
            Card(
                "Satisfaction (CSI-4)",
                number(checks["mean_csi4"]),
                mean_change(checks["mean_csi4"], before_checks["mean_csi4"]),
                f"Mean CSI-4 total (0-21) over {counted(checks['csi4_count'], 'answered check-in')}; "
                f"{checks['csi4_below_cutoff']} below the {CSI4_CUTOFF:g} cut-off.",
            ),
        ]
    return cards


def csi4_note(checks: Mapping[str, Any]) -> str:
    """One partner's CSI-4 line: how many answered, how many below the cut-off."""
    if not checks["csi4_count"]:
        return "No satisfaction questions answered in this window."
    return f"{checks['csi4_count']} answered, {checks['csi4_below_cutoff']} below {CSI4_CUTOFF:g}."


def repair_summary(conflicts: Mapping[str, Any]) -> str:
    """ "Repaired X of Y" beside the median time to repair (SPEC section 7)."""
    started = "conflict" if conflicts["started"] == 1 else "conflicts"
    text = f"Repaired {conflicts['repaired']} of {conflicts['started']} {started} started in the window"
    if conflicts["median_minutes_to_repair"] is None:
        return text + "."
    return (
        text + f"; median time from the start of a conflict to an accepted repair: "
        f"{minutes_text(conflicts['median_minutes_to_repair'])} (over the {conflicts['repaired']} repaired)."
    )


# --------------------------------------------------------------------------------------------------
# Table views of the charts (one row per week or per category, readable column names)
# --------------------------------------------------------------------------------------------------
def rates_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Repair attempts": w["repairs_offered"],
            "Accepted": w["repairs_accepted"],
            "Declined": w["repairs_declined"],
            "Acceptance": pct(w["acceptance_rate"]),
            "Promises due": w["promises_due"],
            "Kept": w["promises_kept"],
            "Keeping": pct(w["keeping_rate"]),
        }
        for w in weekly
    ]


def trust_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"Week of": w["week_start"], "Trust consistency": f"{w['trust_consistency']:.0f}"} for w in weekly
    ]


def turn_toward_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Bids": w["bids"],
            "Turned toward": w["bids_toward"],
            "Share": pct(w["bids_toward"] / w["bids"] if w["bids"] else None),
        }
        for w in weekly
    ]


def partner_table(
    weekly: Sequence[Mapping[str, Any]], partners: Mapping[str, str], measure: str
) -> list[dict[str, Any]]:
    """One row per week, one column per partner (value and check-ins), for `mean_csi4`,
    `mean_closeness` or `mean_trust`."""
    rows = []
    for w in weekly:
        row: dict[str, Any] = {"Week of": w["week_start"]}
        for handle, name in partners.items():
            figures = w["by_partner"].get(handle) or {}
            row[name] = number(figures.get(measure))
            row[f"{name}: check-ins"] = figures.get("check_ins", 0)
        rows.append(row)
    return rows


def horsemen_table(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    return [{"Horseman": name.capitalize(), "Times named": int(counts.get(name, 0))} for name in HORSEMEN]


def positive_negative_table(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"Moments": "Positive (appreciations, bids met toward)", "Count": str(figures["positive"])},
        {"Moments": "Negative (bids met against, horsemen named)", "Count": str(figures["negative"])},
        {"Moments": "Balance", "Count": ratio(figures)},
    ]


def activity_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Repair attempts": w["repairs_offered"],
            "Conflicts": w["conflicts"],
            "Horsemen named": w["horsemen"],
            "Check-ins": w["check_ins"],
            "Bids": w["bids"],
            "Appreciations": w["appreciations"],
        }
        for w in weekly
    ]


# --------------------------------------------------------------------------------------------------
# Times in the couple's time zone (`local_text` is in projections.formatting)
# --------------------------------------------------------------------------------------------------
def end_of_day(day: date, zone: str) -> datetime:
    """The last instant of a calendar day in the couple's time zone (one microsecond before the next
    midnight there), as an aware UTC time."""
    tz = ZoneInfo(zone)
    midnight = datetime.combine(day + timedelta(days=1), time(0), tz)
    return midnight.astimezone(UTC) - timedelta(microseconds=1)


def today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


# --------------------------------------------------------------------------------------------------
# Entries as lines (timeline and waiting-on-you)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryLine:
    entry_id: str
    type: str
    title: str
    when: str  # in the couple's time zone
    who: str
    details: str
    note: str | None  # None when absent or hidden
    private: bool  # a private note that is hidden from this viewer ("private")
    retracted: bool
    retractable: bool


def _named(handle: str | None, names: Mapping[str, str]) -> str:
    if handle is None:
        return ""
    return names.get(handle, handle)


# What a row's `ref` points at, by the row's type, to name it when it is not among the rows at hand.
_REFERRED: Final = {
    "conflict_resolved": "a conflict",
    "repair_offered": "a conflict",
    "repair_accepted": "a repair attempt",
    "repair_declined": "a repair attempt",
    "promise_kept": "a promise",
    "promise_broken": "a promise",
    "promise_renegotiated": "a promise",
    "promise_released": "a promise",
}


def _day(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%d %b").lstrip("0")


def refer(
    ref: str | None,
    index: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, str],
    zone: str = "UTC",
    referring: str | None = None,
) -> str:
    """A readable name for the entry a row refers to ("the conflict about “money” of 3 May"), from the
    rows at hand; never its id: when it is not among them, what kind of entry it is ("an earlier
    conflict"), by the type of the `referring` row."""
    if ref is None:
        return ""
    target = index.get(ref)
    if target is None:
        return f"{_REFERRED.get(referring or '', 'an entry')} logged earlier"
    kind = target["type"]
    day = _day(target["occurred_at"], zone)
    if kind == "conflict_started":
        return f"the conflict about “{target['topic']}” of {day}"
    if kind == "promise_made":
        return f"{_named(target['by'], names)}'s promise “{target['description']}”"
    if kind == "repair_offered":
        if target["kind"] == "other":
            return f"{_named(target['by'], names)}'s repair attempt of {day}"
        return f"{_named(target['by'], names)}'s {target['kind']} repair attempt"
    return f"the {TYPE_LABELS.get(kind, kind).lower()} of {day}"


def entry_line(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    zone: str,
    index: Mapping[str, Mapping[str, Any]] | None = None,
) -> EntryLine:
    """One timeline row as words. `index` maps entry ids to rows, to name what a row refers to."""
    index = index or {}
    kind = row["type"]
    details: list[str] = []
    ref = row.get("ref")
    if kind == "couple_registered":
        details.append(" & ".join(names.values()))
    elif kind == "conflict_started":
        details.append(f"about “{row['topic']}”, intensity {row['intensity']} of 5")
        if row.get("horsemen"):
            details.append("horsemen: " + ", ".join(row["horsemen"]))
    elif kind == "repair_offered":
        details.append(repair_kind_word(str(row["kind"])))
        if ref:
            details.append("during " + refer(ref, index, names, zone, kind))
    elif kind == "promise_made":
        details.append(f"“{row['description']}”, due {local_text(row['due_at'], zone)}")
    elif kind == "promise_renegotiated":
        details.append(f"{refer(ref, index, names, zone, kind)}, now due {local_text(row['due_at'], zone)}")
    elif kind == "check_in":
        details.append(f"closeness {row['closeness']} of 10, trust {row['trust']} of 10")
        if row.get("csi4"):
            details.append(f"satisfaction (CSI-4) {sum(row['csi4'])} of 21")
    elif kind == "bid_made":
        details.append(f"met: {RESPONSE_LABELS.get(row['response'], row['response'])}")
    elif kind == "entry_retracted":
        details.append(refer(ref, index, names, zone, kind))
        if row.get("reason"):
            details.append(f"reason: {row['reason']}")
    elif ref:
        details.append(refer(ref, index, names, zone, kind))
    by = row.get("by")
    logged_by = row.get("logged_by")
    who = _named(by, names)
    if logged_by and logged_by != by:
        who = (
            f"{who} (logged by {_named(logged_by, names)})"
            if who
            else f"logged by {_named(logged_by, names)}"
        )
    return EntryLine(
        entry_id=row["entry_id"],
        type=kind,
        title=TYPE_LABELS.get(kind, kind),
        when=local_text(row["occurred_at"], zone),
        who=who,
        details="; ".join(d for d in details if d),
        note=row.get("note"),
        private=bool(row.get("note_hidden")),
        retracted=bool(row.get("retracted")),
        retractable=kind not in NOT_RETRACTABLE and not row.get("retracted"),
    )


def promise_actions(due_at: datetime, now: datetime) -> tuple[str, ...]:
    """What can still be recorded about an open promise now: kept or broken always; renegotiated or
    released only while its current due time has not passed (SPEC section 3)."""
    if now > due_at:
        return ("promise_kept", "promise_broken")
    return ("promise_kept", "promise_broken", "promise_renegotiated", "promise_released")


def choice_label(row: Mapping[str, Any], names: Mapping[str, str], zone: str) -> str:
    """How an open conflict, a waiting repair attempt or an open promise is named in a list to choose
    from."""
    when = local_text(row["occurred_at"], zone)
    who = _named(row.get("by"), names)
    if row["type"] == "conflict_started":
        return f"“{row['topic']}”, raised by {who}, {when}"
    if row["type"] == "repair_offered":
        if row["kind"] == "other":
            return f"{who}'s repair attempt, {when}"
        return f"{who}'s {row['kind']} attempt, {when}"
    if row["type"] == "promise_made":
        return f"{who}: “{row['description']}”, due {local_text(row['due_at'], zone)}"
    return f"{TYPE_LABELS.get(row['type'], row['type'])}, {when}"


def attempt_markdown(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    zone: str,
    index: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """A repair attempt waiting for an answer, as one line of Markdown with every word a person typed
    escaped: "**Ben** offered **apology** during the conflict about “money” of 3 May · <when>", or
    "**Ben** made a repair attempt · <when>" for an attempt of kind `other`."""
    verb, kind = offered_words(str(row["kind"]))
    text = f"**{escape_markdown(_named(row.get('by'), names))}** {verb}"
    if kind is not None:
        text += f" **{escape_markdown(kind)}**"
    if row.get("ref"):
        text += " during " + escape_markdown(refer(row["ref"], index or {}, names, zone, "repair_offered"))
    return f"{text} · {local_text(row['occurred_at'], zone)}"


PERIODS: Final = {
    "all": "All time",
    "7": "Last 7 days",
    "28": "Last 28 days",
    "90": "Last 90 days",
    "dates": "Dates…",
}


def period_bounds(
    period: str, dates: Sequence[date], zone: str, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """The (since, until) instants of a timeline period: the last N days up to now, or whole calendar
    days in the couple's zone from the first to the last chosen date."""
    if period.isdigit():
        return now - timedelta(days=int(period)), None
    if period == "dates" and dates:
        first, last = min(dates), max(dates)
        start = datetime.combine(first, time(0), ZoneInfo(zone)).astimezone(UTC)
        return start, end_of_day(last, zone)
    return None, None


# Every ASCII character that Markdown, GitHub's extensions or Streamlit's own directives act on: emphasis,
# code, links and images, headings, quotes, lists, tables, strikethrough, setext underlines, HTML,
# LaTeX ($), directives and icons (:red[x], :material/x:), emoji shortcodes (:smile:) and the literal
# autolinks of http://x, www.x and a@b.x (their ':', '.' and '@' escaped, they are no longer links).
_MARKDOWN_SPECIALS: Final = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()#+-.!|~<>$:=@"})
# "&" only where it would start an entity (&amp; &#60;), so "Ana & Ben" stays as it is.
_ENTITY_START: Final = re.compile(r"&(?=[A-Za-z0-9#])")
# Spaces and tabs at the start of a line would make an indented code block: written as references.
_INDENT: Final = re.compile(r"^[ \t]+", re.MULTILINE)


def _indent_references(match: re.Match[str]) -> str:
    return match.group().replace(" ", "&#32;").replace("\t", "&#9;")


def escape_markdown(text: str) -> str:
    """User text to be shown as written wherever Streamlit renders Markdown (st.markdown, st.caption,
    st.success and the other alerts, st.write, and every label, help, option of a radio, pills or
    select_slider, tab and expander label and metric label): every character Markdown, GitHub's
    extensions or Streamlit's directives would act on is escaped, so a name like "![x](http://evil)"
    is neither an image nor a link, "<img ...>" is no HTML, ":red[x]", ":smile:" and "$x$" stay text.

    The one helper for this; never use it for text Streamlit shows as plain text (st.dataframe and
    st.table cells and headers, the options of st.selectbox and st.multiselect, text_input values), or
    the backslashes would show."""
    escaped = _ENTITY_START.sub("\\&", text.translate(_MARKDOWN_SPECIALS))
    return _INDENT.sub(_indent_references, escaped)


def with_topics_escaped(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics with the one kind of typed text they hold, the recurring conflict topics, escaped, for
    texts filled from them that are shown as Markdown (the reasons of the guidance)."""
    conflicts = dict(metrics["conflicts"])
    conflicts["recurring_topics"] = [escape_markdown(t) for t in conflicts["recurring_topics"]]
    return {**metrics, "conflicts": conflicts}


def recent_weeks(weekly: Sequence[Mapping[str, Any]], weeks: int) -> list[Mapping[str, Any]]:
    """The last `weeks` rows of the weekly series (the charts show a readable span)."""
    return list(weekly[-weeks:]) if weeks > 0 else list(weekly)
