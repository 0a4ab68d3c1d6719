"""The counselor report: one self-contained HTML page (inline CSS, charts as inline SVG, no link to the
network), and the same HTML printed to PDF with WeasyPrint.

This module shapes numbers that are already computed (the SPEC section 4 objects) into what the template
shows: the headline table with the change over the period and each reference point, what improved and
what needs attention, the open promises, the guidance. The words live in `templates/report.html`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from domain.vocabulary import CSI4_CUTOFF
from projections.guidance import Suggestion
from repairtrack.services.export.period import Period

TEMPLATES = Path(__file__).parent / "templates"
MIN_BIDS_FOR_REFERENCE = 10  # SPEC section 7: references for the proxies only from 10 bids in the window
ENTRY_WORDS = {
    "conflict_started": "conflict",
    "conflict_resolved": "conflict resolved",
    "repair_offered": "repair attempt",
    "promise_kept": "promise kept",
    "promise_broken": "promise broken",
    "check_in": "check-in",
    "bid_made": "bid",
    "appreciation_expressed": "appreciation",
}


# --------------------------------------------------------------------------------------------------
# Formatting.
# --------------------------------------------------------------------------------------------------
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M")


def day(moment: datetime | Any) -> str:
    return str(moment.strftime("%d %b %Y")).lstrip("0")


def minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} days"


def pooled(by_partner: Mapping[str, Mapping[str, Any]], mean: str, count: str) -> float | None:
    """The mean over both partners from each partner's mean and count."""
    parts = [(p[mean], p[count]) for p in by_partner.values() if p[mean] is not None and p[count]]
    total = sum(n for _, n in parts)
    return sum(m * n for m, n in parts) / total if total else None


# --------------------------------------------------------------------------------------------------
# The headline figures.
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One headline figure: how to read it from a metrics object and how to compare two of them."""

    key: str
    label: str
    value: Any  # metrics -> number or None (the couple's figure)
    evidence: Any  # metrics -> int: how much the figure rests on
    min_evidence: int
    step: float  # the smallest change worth a mention
    higher_is_better: bool
    show_change: Any  # (now, before) -> text


def _points(now: float, before: float) -> str:
    return f"{(now - before) * 100:+.0f} points (was {pct(before)})"


def _plain(digits: int) -> Any:
    return lambda now, before: f"{now - before:+.{digits}f} (was {before:.{digits}f})"


def _trust_value(m: Mapping[str, Any]) -> float | None:
    trust = m["trust_consistency"]
    return float(trust["score"]) if trust["weight"] >= 1 else None


FIGURES: tuple[Figure, ...] = (
    Figure(
        "repair",
        "repair acceptance",
        lambda m: m["repair"]["acceptance_rate"],
        lambda m: m["repair"]["accepted"] + m["repair"]["declined"],
        3,
        0.10,
        True,
        _points,
    ),
    Figure(
        "promises",
        "promise keeping",
        lambda m: m["promises"]["keeping_rate"],
        lambda m: m["promises"]["due"],
        3,
        0.10,
        True,
        _points,
    ),
    Figure(
        "trust",
        "trust consistency",
        _trust_value,
        lambda m: 1 if m["trust_consistency"]["weight"] >= 1 else 0,
        1,
        5.0,
        True,
        _plain(0),
    ),
    Figure(
        "closeness",
        "closeness ratings",
        lambda m: pooled(m["check_ins"]["by_partner"], "mean_closeness", "count"),
        lambda m: m["check_ins"]["count"],
        2,
        0.5,
        True,
        _plain(1),
    ),
    Figure(
        "trust_rating",
        "trust ratings",
        lambda m: pooled(m["check_ins"]["by_partner"], "mean_trust", "count"),
        lambda m: m["check_ins"]["count"],
        2,
        0.5,
        True,
        _plain(1),
    ),
    Figure(
        "csi4",
        "CSI-4 satisfaction",
        lambda m: pooled(m["check_ins"]["by_partner"], "mean_csi4", "csi4_count"),
        lambda m: sum(p["csi4_count"] for p in m["check_ins"]["by_partner"].values()),
        2,
        1.0,
        True,
        _plain(1),
    ),
    Figure(
        "bids",
        "turning toward bids",
        lambda m: m["bids"]["turn_toward_rate"],
        lambda m: m["bids"]["total"],
        MIN_BIDS_FOR_REFERENCE,
        0.10,
        True,
        _points,
    ),
    Figure(
        "balance",
        "positive-to-negative balance",
        lambda m: m["positive_negative"]["ratio"],
        lambda m: m["positive_negative"]["negative"],
        2,
        1.0,
        True,
        _plain(1),
    ),
    Figure(
        "conflicts",
        "conflicts started",
        lambda m: float(m["conflicts"]["started"]),
        lambda m: 1,
        1,
        2.0,
        False,
        _plain(0),
    ),
    Figure(
        "horsemen",
        "horsemen named in conflicts",
        lambda m: float(sum(m["conflicts"]["horsemen"].values())),
        lambda m: 1,
        1,
        2.0,
        False,
        _plain(0),
    ),
)


@dataclass(frozen=True)
class Change:
    text: str
    direction: str  # "better", "worse" or "same"


def change(figure: Figure, now: Mapping[str, Any], before: Mapping[str, Any] | None) -> Change | None:
    """How a figure moved between the two windows, when both rest on enough to say."""
    if before is None:
        return None
    a, b = figure.value(now), figure.value(before)
    if a is None or b is None:
        return None
    if figure.evidence(now) < figure.min_evidence or figure.evidence(before) < figure.min_evidence:
        return None
    delta = a - b
    if abs(delta) < figure.step:
        direction = "same"
    else:
        direction = "better" if (delta > 0) == figure.higher_is_better else "worse"
    return Change(figure.show_change(a, b), direction)


@dataclass
class Row:
    label: str
    together: str
    partners: list[str]
    reference: str
    change: Change | None = None
    note: str = ""


def headline(m: Mapping[str, Any], before: Mapping[str, Any] | None, partners: Sequence[str]) -> list[Row]:
    """The rows of the table on the first page: the couple's figure, its change over the period, each
    partner side by side (in registration order, never ranked) and the reference point."""
    figures = {f.key: f for f in FIGURES}

    def moved(key: str) -> Change | None:
        return change(figures[key], m, before)

    repair, promises, trust = m["repair"], m["promises"], m["trust_consistency"]
    checks, bids, balance, conflicts = m["check_ins"], m["bids"], m["positive_negative"], m["conflicts"]
    enough_bids = bids["total"] >= MIN_BIDS_FOR_REFERENCE
    few_bids = f"None shown: fewer than {MIN_BIDS_FOR_REFERENCE} bids in the window."

    def trust_text(score: float, weight: float) -> str:
        if weight < 1:
            return f"too little to say (weight {weight:.1f})"
        return f"{score:.0f} (weight {weight:.1f})"

    def rating(h: str, mean: str) -> str:
        p = checks["by_partner"][h]
        return f"{num(p[mean])} ({p['count']} check-in{'' if p['count'] == 1 else 's'})"

    answered = repair["accepted"] + repair["declined"]
    horsemen = ", ".join(f"{name} {count}" for name, count in conflicts["horsemen"].items())
    return [
        Row(
            "Repair attempts accepted",
            f"{pct(repair['acceptance_rate'])}: {repair['accepted']} of {answered} answered, "
            f"{repair['pending']} waiting",
            [
                f"offered {p['offered']}, {pct(p['acceptance_rate'])} accepted"
                for p in (repair["by_partner"][h] for h in partners)
            ],
            "No research figure; a rising share is the aim.",
            moved("repair"),
        ),
        Row(
            "Promises kept",
            f"{pct(promises['keeping_rate'])}: {promises['kept']} of {promises['due']} due "
            f"({promises['kept_late']} late), {promises['broken']} broken, {promises['lapsed']} lapsed; "
            f"{promises['open']} open",
            [
                f"{pct(p['keeping_rate'])} of {p['due']} due; {p['open']} open"
                for p in (promises["by_partner"][h] for h in partners)
            ],
            "No research figure.",
            moved("promises"),
        ),
        Row(
            "Trust consistency (0–100)",
            trust_text(trust["score"], trust["weight"]),
            [trust_text(trust["by_partner"][h], trust["weight_by_partner"][h]) for h in partners],
            "Our own design (14-day half-life), not a research scale; 50 = no history.",
            moved("trust"),
        ),
        Row(
            "Closeness (1–10)",
            f"{num(pooled(checks['by_partner'], 'mean_closeness', 'count'))} "
            f"over {checks['count']} check-ins",
            [rating(h, "mean_closeness") for h in partners],
            "A self-rating: compare it with itself over time.",
            moved("closeness"),
        ),
        Row(
            "Trust rating (1–10)",
            f"{num(pooled(checks['by_partner'], 'mean_trust', 'count'))} over {checks['count']} check-ins",
            [rating(h, "mean_trust") for h in partners],
            "A self-rating: compare it with itself over time.",
            moved("trust_rating"),
        ),
        Row(
            "CSI-4 satisfaction (0–21)",
            num(pooled(checks["by_partner"], "mean_csi4", "csi4_count")),
            [
                (
                    f"{num(p['mean_csi4'])} over {p['csi4_count']}; {p['csi4_below_cutoff']} below "
                    f"{CSI4_CUTOFF:g}"
                    if p["csi4_count"]
                    else "not answered"
                )
                for p in (checks["by_partner"][h] for h in partners)
            ],
            f"Below {CSI4_CUTOFF:g}: notable dissatisfaction (Funk & Rogge, 2007).",
            moved("csi4"),
        ),
        Row(
            "Bids met by turning toward",
            f"{pct(bids['turn_toward_rate'])}: {bids['toward']} of {bids['total']} "
            f"(away {bids['away']}, against {bids['against']})",
            [],
            (
                "About 86% in newlyweds who stayed together, 33% in those who divorced (Gottman, "
                "observed). These bids are self-logged: a proxy."
                if enough_bids
                else few_bids
            ),
            moved("bids"),
        ),
        Row(
            "Positive to negative",
            f"{balance['positive']} : {balance['negative']}"
            + (f" (about {balance['ratio']:.1f} to 1)" if balance["ratio"] is not None else ""),
            [],
            (
                "About 5 to 1 in stable couples (Gottman, observed). Counted here from self-logged "
                "entries: a proxy."
                if enough_bids
                else few_bids
            ),
            moved("balance"),
        ),
        Row(
            "Conflicts",
            f"{conflicts['started']} started, {conflicts['resolved']} resolved; repaired "
            f"{conflicts['repaired']} of {conflicts['started']}, median time to repair "
            f"{minutes(conflicts['median_minutes_to_repair'])}. Horsemen named: {horsemen}",
            [],
            "Fewer, and repaired sooner, is the hope.",
            moved("conflicts"),
        ),
    ]


def observations(m: Mapping[str, Any], before: Mapping[str, Any] | None) -> tuple[list[str], list[str]]:
    """Short sentences on what improved and what needs attention, about the couple as a whole."""
    improved: list[str] = []
    attention: list[str] = []
    for figure in FIGURES:
        moved = change(figure, m, before)
        if moved is None or moved.direction == "same":
            continue
        target = improved if moved.direction == "better" else attention
        verb = "rose" if (moved.direction == "better") == figure.higher_is_better else "fell"
        target.append(f"{figure.label[0].upper()}{figure.label[1:]} {verb}: {moved.text}.")
    repair, promises, trust = m["repair"], m["promises"], m["trust_consistency"]
    checks, conflicts, bids = m["check_ins"], m["conflicts"], m["bids"]
    answered = repair["accepted"] + repair["declined"]
    if answered >= 4 and (repair["acceptance_rate"] or 0) < 0.5:
        attention.append(
            "Fewer than half of the answered repair attempts were accepted "
            f"({pct(repair['acceptance_rate'])})."
        )
    if repair["pending"] >= 2:
        attention.append(f"{repair['pending']} repair attempts have no answer logged.")
    unkept = [
        f"{count} {what}"
        for count, what in ((promises["broken"], "broken"), (promises["lapsed"], "lapsed without an outcome"))
        if count
    ]
    if unkept:
        attention.append(f"Of the {promises['due']} promises due, {' and '.join(unkept)}.")
    if trust["weight"] >= 1 and trust["score"] < 50:
        attention.append(f"Trust consistency is below 50 ({trust['score']:.0f}).")
    below = sum(p["csi4_below_cutoff"] for p in checks["by_partner"].values())
    if below:
        attention.append(
            f"{below} CSI-4 total{'s' if below != 1 else ''} in the window fell below {CSI4_CUTOFF:g}."
        )
    if conflicts["horsemen"]["contempt"]:
        attention.append(f"Contempt was named on {conflicts['horsemen']['contempt']} conflict(s).")
    if bids["total"] >= MIN_BIDS_FOR_REFERENCE and (bids["turn_toward_rate"] or 0) < 0.7:
        attention.append(f"Bids met by turning toward: {pct(bids['turn_toward_rate'])}.")
    if conflicts["recurring_topics"]:
        attention.append("Some topics keep coming back (see below).")
    return improved, attention


# --------------------------------------------------------------------------------------------------
# The whole report.
# --------------------------------------------------------------------------------------------------
@dataclass
class Chart:
    title: str
    caption: str
    svg: str


@dataclass
class ReportContext:
    couple: str  # the handle shown (pseudonymized when asked)
    partners: list[tuple[str, str]]  # (handle, name) in registration order
    period: Period
    made_at: datetime
    window_days: int
    metrics: Mapping[str, Any]
    before: Mapping[str, Any] | None
    before_at: datetime | None
    weekly: list[Mapping[str, Any]]
    open_promises: list[Mapping[str, Any]]
    guidance: list[Suggestion]
    charts: list[Chart]
    include_notes: bool
    pseudonymized: bool
    entries_count: int
    notes_left_out: int
    private_left_out: int
    fhir_count: int
    notes: Sequence[Mapping[str, Any]] = ()  # only when notes are included


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    env.filters["num"] = num
    env.filters["minutes"] = minutes
    env.filters["day"] = day
    # Markdown with raw HTML switched off escapes whatever it does not turn into markup itself.
    env.filters["markdown"] = lambda text: Markup(_markdown.render(text))  # noqa: S704
    return env


def note_rows(
    entries: Sequence[Mapping[str, Any]], gone: set[str], period: Period, names: Mapping[str, str]
) -> list[dict[str, str]]:
    """The notes of the entries that exist and happened in the period, oldest first. `entries` are the
    bundle's (so private notes are already gone, and the rest only when notes were asked for)."""
    start, end = period.start, period.as_of
    rows = []
    for entry in entries:
        note = entry.get("note")
        when = datetime.fromisoformat(str(entry["occurred_at"]))
        if not note or entry["id"] in gone or not start <= when <= end:
            continue
        author = entry.get("logged_by") or entry.get("by")
        rows.append(
            {
                "sort": when.astimezone(ZoneInfo("UTC")).isoformat(),
                "when": local(when, period.timezone),
                "who": names.get(str(author), "—") if author else "—",
                "what": ENTRY_WORDS.get(str(entry["type"]), str(entry["type"]).replace("_", " ")),
                "note": str(note),
            }
        )
    return sorted(rows, key=lambda row: row["sort"])


def render_html(context: ReportContext) -> str:
    names = [name for _, name in context.partners]
    zone = context.period.timezone
    return (
        _environment()
        .get_template("report.html")
        .render(
            c=context,
            names=names,
            handles=[h for h, _ in context.partners],
            title=f"Counselor report: {names[0]} and {names[1]}",
            rows=headline(context.metrics, context.before, [h for h, _ in context.partners]),
            improved_attention=observations(context.metrics, context.before),
            T_local=local(context.period.as_of, zone),
            made_local=local(context.made_at, zone),
            before_local=local(context.before_at, zone) if context.before_at else None,
            due_local=[local(p["due_at"], zone) for p in context.open_promises],
            enough_bids=context.metrics["bids"]["total"] >= MIN_BIDS_FOR_REFERENCE,
            cutoff=f"{CSI4_CUTOFF:g}",
            min_bids=MIN_BIDS_FOR_REFERENCE,
        )
    )


def render_pdf(html: str) -> bytes:
    """The same report, paginated for print (A4, page breaks before each section)."""
    import weasyprint  # slow to import; only the PDF needs it

    pdf: bytes = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return pdf


# --------------------------------------------------------------------------------------------------
# The charts: the dashboard's builders (projections.charts), rendered to inline SVG with vl-convert.
# --------------------------------------------------------------------------------------------------
CHART_WIDTH = 560
CHART_HEIGHT = 115
# Liberation Sans is metric-compatible with Arial: vl-convert measures labels with the font the PDF and
# most browsers then draw them with, so axis labels do not collide.
CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')


def render_charts(
    weekly: Sequence[Mapping[str, Any]], metrics: Mapping[str, Any], partners: Mapping[str, str]
) -> list[Chart]:
    """The weekly charts of the period and the window's charts, each as an SVG string. `partners`
    maps the handle in the rows to the name shown, in registration order."""
    import vl_convert

    from projections import charts

    bids = int(metrics["bids"]["total"])
    window = f"the last {metrics['window_days']} days"
    wanted: list[tuple[str, str, Any, int]] = [
        (
            "Repair acceptance and promise keeping",
            "Of the repair attempts offered each week and answered, the share accepted; of the promises due "
            "each week, the share kept. Neither has a research reference; the direction over the weeks is "
            "what counts.",
            charts.weekly_rates(weekly),
            CHART_HEIGHT,
        ),
        (
            "Trust consistency",
            "The score as of the end of each week. It is the app's own measure (promises fading with a "
            "14-day half-life), not a research scale; 50 means no history yet.",
            charts.trust_consistency(weekly),
            CHART_HEIGHT,
        ),
        (
            "CSI-4 satisfaction, each partner",
            f"Mean CSI-4 total per partner and week, with the published cut-off of {CSI4_CUTOFF:g}. Each "
            "partner has a line of their own, so one below the cut-off is never hidden by an average.",
            charts.csi4_by_partner(weekly, partners),
            CHART_HEIGHT,
        ),
        (
            "Closeness at check-ins, each partner",
            "Mean closeness rating (1–10) per partner and week.",
            charts.check_ins_by_partner(weekly, partners, "mean_closeness"),
            CHART_HEIGHT,
        ),
        (
            "Trust at check-ins, each partner",
            "Mean trust rating (1–10) per partner and week.",
            charts.check_ins_by_partner(weekly, partners, "mean_trust"),
            CHART_HEIGHT,
        ),
        (
            "Bids met by turning toward",
            "Share of bids met with a turn toward, per week. "
            + (
                "The dashed lines are Gottman's newlywed figures (86% for couples who stayed together, 33% "
                "for those who divorced), from trained observers; these bids are self-logged, so the "
                "lines are a rough guide only."
                if bids >= MIN_BIDS_FOR_REFERENCE
                else f"No reference lines: {window} hold fewer than {MIN_BIDS_FOR_REFERENCE} bids."
            ),
            charts.turn_toward(weekly, bids),
            CHART_HEIGHT,
        ),
        (
            "What was logged each week",
            "Repair attempts, conflicts, check-ins, bids and appreciations per week: how much the figures "
            "rest on.",
            charts.weekly_activity(weekly),
            CHART_HEIGHT,
        ),
        (
            "Positive and negative moments",
            f"In {window}. "
            + (
                "The tick marks five positives per negative, the balance Gottman observed in stable "
                "couples; this count is a proxy from self-logged entries."
                if bids >= MIN_BIDS_FOR_REFERENCE
                else f"No reference: fewer than {MIN_BIDS_FOR_REFERENCE} bids in the window."
            ),
            charts.positive_negative(metrics["positive_negative"], bids),
            70,
        ),
        (
            "Horsemen named",
            f"How often each horseman was named on the conflicts started in {window}.",
            charts.horsemen(metrics["conflicts"]["horsemen"]),
            110,
        ),
    ]
    rendered = []
    for title, caption, chart, height in wanted:
        spec = (
            chart.properties(width=CHART_WIDTH, height=height, title=title)
            .configure(font=CHART_FONT)
            .configure_title(fontSize=12, anchor="start")
            .to_dict()
        )
        rendered.append(Chart(title, caption, _clean_svg(vl_convert.vegalite_to_svg(spec))))
    return rendered


def _clean_svg(svg: str) -> str:
    """SVG as vl-convert writes it, made ready to sit inside HTML: no XML prologue, and no namespace
    declarations on the root (HTML puts `<svg>` in its namespace by itself), so the page holds no URL
    of any kind."""
    start = svg.find("<svg")
    svg = svg[start:] if start > 0 else svg
    head, rest = svg.split(">", 1)
    return _SVG_NAMESPACES.sub("", head) + ">" + rest
