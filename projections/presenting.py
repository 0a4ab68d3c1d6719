"""From the metrics object to what a person reads: formatted figures, and metric cards with their change
against the previous window.

Pure functions over plain values (no Streamlit), shared by the dashboard and anything else that shows
the same figures. Numbers are rounded for display by `projections.formatting`; the figures, their
thresholds and reference points come from `projections.figures`, the entry labels from
`projections.wording`. The other jobs have their own modules: entries as lines in
`projections.entry_lines`, the tables of the charts in `projections.tables`, times and periods in
`projections.periods`, Markdown escaping in `projections.escaping`; all are re-exported here for the pages.
Partners are always listed in registration order, side by side, never ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from projections.entry_lines import (
    NOT_RETRACTABLE,
    EntryLine,
    attempt_markdown,
    choice_label,
    entry_line,
    promise_actions,
    refer,
)
from projections.escaping import escape_markdown, with_topics_escaped
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
from projections.periods import PERIODS, end_of_day, period_bounds, today
from projections.tables import (
    activity_table,
    horsemen_table,
    partner_table,
    positive_negative_table,
    rates_table,
    recent_weeks,
    trust_table,
    turn_toward_table,
)
from projections.wording import RESPONSE_LABELS, TYPE_LABELS, counted

__all__ = [
    "NOTHING",
    "NOT_RETRACTABLE",
    "NO_CHANGE",
    "PERIODS",
    "RESPONSE_LABELS",
    "TOO_LITTLE",
    "TYPE_LABELS",
    "EntryLine",
    "activity_table",
    "attempt_markdown",
    "choice_label",
    "end_of_day",
    "entry_line",
    "escape_markdown",
    "horsemen_table",
    "local_text",
    "mean_change",
    "minutes_text",
    "number",
    "partner_table",
    "pct",
    "period_bounds",
    "positive_negative_table",
    "promise_actions",
    "rate_change",
    "rates_table",
    "ratio",
    "recent_weeks",
    "refer",
    "today",
    "trust_table",
    "turn_toward_table",
    "with_topics_escaped",
]

# The longest value a narrow metric card shows whole ("4.5 : 1", "100%"); Streamlit cuts a longer one.
SHORT_VALUE: Final = 7


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


def _share_card(
    label: str, current: Mapping[str, Any], previous: Mapping[str, Any], key: str, help_text: str
) -> Card:
    """A card of a share (`key`, 0-1) as a percentage, with its change in points against the window
    before."""
    return Card(label, pct(current[key]), rate_change(current[key], previous[key]), help_text)


def _mean_card(
    label: str, current: Mapping[str, Any], previous: Mapping[str, Any], key: str, help_text: str
) -> Card:
    """A card of a mean (`key`), with its change against the window before."""
    return Card(label, number(current[key]), mean_change(current[key], previous[key]), help_text)


def _trust_card(
    score: float, weight: float, before_score: float, before_weight: float, help_text: str
) -> Card:
    """The trust consistency card: its change only when both windows hold enough to say."""
    delta = None
    if trust_known(weight) and trust_known(before_weight):
        delta = signed(score - before_score, 0)
    return Card("Trust consistency", trust_text(score, weight), delta, help_text)


def overview_cards(
    current: Mapping[str, Any], previous: Mapping[str, Any], logged: str = "what you logged"
) -> list[Card]:
    """The couple's headline figures for the window, each with its change against the window before.
    `logged` names what a proxy rests on, in the words of whoever reads the page."""
    days = current["window_days"]
    repair, promises, bids = current["repair"], current["promises"], current["bids"]
    trust, before_trust = current["trust_consistency"], previous["trust_consistency"]
    pn, before_pn = current["positive_negative"], previous["positive_negative"]
    answered = repair["accepted"] + repair["declined"]
    return [
        _share_card(
            "Repair acceptance",
            repair,
            previous["repair"],
            "acceptance_rate",
            f"Of the repair attempts offered in the last {days} days and answered, the share accepted: "
            f"{repair['accepted']} of {answered}, {repair['pending']} still waiting for an answer.",
        ),
        _share_card(
            "Promise keeping",
            promises,
            previous["promises"],
            "keeping_rate",
            f"Of the promises due in the last {days} days, the share kept: {promises['kept']} of "
            f"{promises['due']} ({promises['kept_late']} kept late, {promises['broken']} broken, "
            f"{promises['lapsed']} lapsed). " + _not_due_yet(promises["open"]),
        ),
        _trust_card(
            trust["score"],
            trust["weight"],
            before_trust["score"],
            before_trust["weight"],
            REFERENCES["trust_consistency"].text("card", weight=f"{trust['weight']:.1f}"),
        ),
        _share_card(
            "Turned toward bids",
            bids,
            previous["bids"],
            "turn_toward_rate",
            f"Bids for connection met with a turn toward: {bids['toward']} of {bids['total']} "
            f"(away {bids['away']}, against {bids['against']}). A proxy from {logged}.",
        ),
        Card(
            "Positive : negative",
            ratio(pn),
            mean_change(pn["ratio"], before_pn["ratio"]),
            f"{counted(pn['positive'], 'positive moment')} (appreciations, bids met toward) to "
            f"{pn['negative']} negative {'one' if pn['negative'] == 1 else 'ones'} (bids met against, "
            f"horsemen named). A proxy from {logged}, not Gottman's observational coding.",
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
    trust, before_trust = current["trust_consistency"], previous["trust_consistency"]
    for handle, name in partners.items():
        other = partners[handles[1 - handles.index(handle)]] if len(handles) == 2 else "the other partner"
        repair = current["repair"]["by_partner"][handle]
        promises = current["promises"]["by_partner"][handle]
        weight = trust["weight_by_partner"][handle]
        checks = current["check_ins"]["by_partner"][handle]
        before_checks = previous["check_ins"]["by_partner"][handle]
        over_check_ins = f"Mean over {name}'s {counted(checks['count'], 'check-in')} in the window (1-10)."
        cards[handle] = [
            _share_card(
                "Repair attempts accepted",
                repair,
                previous["repair"]["by_partner"][handle],
                "acceptance_rate",
                f"{name} offered {repair['offered']}; {other} accepted {repair['accepted']} and declined "
                f"{repair['declined']}; {repair['pending']} still waiting.",
            ),
            _share_card(
                "Promises kept",
                promises,
                previous["promises"]["by_partner"][handle],
                "keeping_rate",
                f"{name}'s promises due in the window: {promises['kept']} kept of {promises['due']}; "
                f"{promises['open']} open.",
            ),
            _trust_card(
                trust["by_partner"][handle],
                weight,
                before_trust["by_partner"][handle],
                before_trust["weight_by_partner"][handle],
                REFERENCES["trust_consistency"].text("partner_card", name=name, weight=f"{weight:.1f}"),
            ),
            _mean_card("Closeness at check-ins", checks, before_checks, "mean_closeness", over_check_ins),
            _mean_card("Trust at check-ins", checks, before_checks, "mean_trust", over_check_ins),
            _mean_card(
                "Satisfaction (CSI-4)",
                checks,
                before_checks,
                "mean_csi4",
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
