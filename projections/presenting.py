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
