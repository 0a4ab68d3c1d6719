"""The counselor report: one self-contained HTML page (inline CSS, charts as inline SVG, no link to the
network), and the same HTML printed to PDF with WeasyPrint.

This module shapes numbers that are already computed (the SPEC section 4 objects) into what the template
shows: the headline table with the change over the period and each reference point, what improved and
what needs attention, the open promises, the guidance. The words live in `templates/report.html`.
"""

from __future__ import annotations

import functools
import math
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

from content.library import Suggestion
from content.observations import Observations, load_observations
from projections.figures import (
    CSI4_CUTOFF,
    FIGURE,
    FIGURES,
    MIN_BIDS_FOR_REFERENCE,
    REFERENCES,
    TOO_LITTLE,
    Change,
    Figure,
    change,
    enough_bids,
    pooled,
    trust_known,
)
from projections.formatting import local_text as local
from projections.formatting import minutes, pct
from projections.formatting import number as num
from projections.schema import METRICS_SCHEMA
from projections.wording import entry_word
from repairtrack.services.export.period import Period

TEMPLATES = Path(__file__).parent / "templates"
__all__ = ["CSI4_CUTOFF", "FIGURES", "MIN_BIDS_FOR_REFERENCE", "Change", "Figure", "change", "pooled"]


def day(moment: datetime | Any) -> str:
    return str(moment.strftime("%d %b %Y")).lstrip("0")


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

    def moved(key: str) -> Change | None:
        return change(FIGURE[key], m, before)

    repair, promises, trust = m["repair"], m["promises"], m["trust_consistency"]
    checks, bids, balance, conflicts = m["check_ins"], m["bids"], m["positive_negative"], m["conflicts"]

    def reference(key: str) -> str:
        figure = FIGURE[key].reference
        if figure is None:
            return ""
        return figure.text("table") if figure.shown(bids["total"]) else figure.text("not_shown")

    def trust_text(score: float, weight: float) -> str:
        if not trust_known(weight):
            return f"{TOO_LITTLE} (weight {weight:.1f})"
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
            reference("trust"),
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
            reference("csi4"),
            moved("csi4"),
        ),
        Row(
            "Bids met by turning toward",
            f"{pct(bids['turn_toward_rate'])}: {bids['toward']} of {bids['total']} "
            f"(away {bids['away']}, against {bids['against']})",
            [],
            reference("bids"),
            moved("bids"),
        ),
        Row(
            "Positive to negative",
            f"{balance['positive']} : {balance['negative']}"
            + (f" (about {balance['ratio']:.1f} to 1)" if balance["ratio"] is not None else ""),
            [],
            reference("balance"),
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
    """Short sentences on what improved and what needs attention, about the couple as a whole: how the
    headline figures moved, then each sentence of content/observations whose condition holds."""
    improved: list[str] = []
    attention: list[str] = []
    for figure in FIGURES:
        moved = change(figure, m, before)
        if moved is None or moved.direction == "same":
            continue
        target = improved if moved.direction == "better" else attention
        verb = "rose" if (moved.direction == "better") == figure.higher_is_better else "fell"
        target.append(f"{figure.label[0].upper()}{figure.label[1:]} {verb}: {moved.text}.")
    said = _observations().select(m)
    return improved + said["improved"], attention + said["attention"]


@functools.cache
def _observations() -> Observations:
    """The sentences of content/observations, read and checked once per process; the numbers they name
    come from here."""
    constants = {"min_bids": MIN_BIDS_FOR_REFERENCE, "csi4_cutoff": CSI4_CUTOFF}
    return load_observations(schema=METRICS_SCHEMA, constants=constants)


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
                "what": entry_word(str(entry["type"])),
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
            enough_bids=enough_bids(context.metrics["bids"]["total"]),
            references=REFERENCES,
        )
    )


# Tagged for screen readers (PDF/UA-1): headings, tables and lists keep their structure, and the PDF
# carries the page's language (`<html lang>`) and shows its title (`<title>`) instead of a file name.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    """The same report, paginated for print (A4, page breaks before each section; the weekly table on
    a landscape page of its own) and tagged (`PDF_VARIANT`)."""
    import weasyprint  # slow to import; only the PDF needs it

    pdf: bytes = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


# --------------------------------------------------------------------------------------------------
# The charts: the dashboard's builders (projections.charts), rendered to inline SVG with vl-convert.
# --------------------------------------------------------------------------------------------------
CHART_WIDTH = 560
CHART_HEIGHT = 115
# The report's own font first: vl-convert measures labels with the font WeasyPrint then draws them with
# (DejaVu Sans, the one installed with it), so labels it keeps apart stay apart on paper; a browser
# without it draws a narrower sans-serif.
CHART_FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"')
# The whole width of a chart with its axis labels (plot, y axis, and any reference labels on the right).
CHART_ROOM = CHART_WIDTH + 80


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
            REFERENCES["rates"].text("report_chart"),
            charts.weekly_rates(weekly),
            CHART_HEIGHT,
        ),
        (
            "Trust consistency",
            REFERENCES["trust_consistency"].text("report_chart"),
            charts.trust_consistency(weekly),
            CHART_HEIGHT,
        ),
        (
            "CSI-4 satisfaction, each partner",
            REFERENCES["csi4"].text("report_chart"),
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
            "Share of bids met with a turn toward, per week. " + _report_caption("turn_toward", bids, window),
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
            f"In {window}. " + _report_caption("positive_negative", bids, window),
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

    def svg(chart: Any, title: str, width: int, height: int) -> str:
        spec = (
            chart.properties(width=width, height=height, title=title)
            .configure(font=CHART_FONT)
            .configure_title(fontSize=12, anchor="start")
            .to_dict()
        )
        return str(vl_convert.vegalite_to_svg(spec))

    rendered = []
    for title, caption, chart, height in wanted:
        drawn = svg(chart, title, CHART_WIDTH, height)
        # Reference labels stand right of the plot: narrow the plot by as much, so every chart is drawn
        # at the same scale on the page.
        extra = _svg_width(drawn) - CHART_ROOM
        if extra > 0:
            drawn = svg(chart, title, CHART_WIDTH - extra, height)
        rendered.append(Chart(title, caption, _clean_svg(drawn)))
    return rendered


def _svg_width(svg: str) -> int:
    found = _SVG_WIDTH.search(svg)
    return math.ceil(float(found[1])) if found else 0


def _report_caption(key: str, bids: int, window: str) -> str:
    """What a chart's reference is in the report, or why the window does not show it."""
    reference = REFERENCES[key]
    if reference.shown(bids):
        return reference.text("report_chart")
    return reference.text("report_chart_not_yet", window=window)


def _clean_svg(svg: str) -> str:
    """SVG as vl-convert writes it, made ready to sit inside HTML: no XML prologue, and no namespace
    declarations on the root (HTML puts `<svg>` in its namespace by itself), so the page holds no URL
    of any kind."""
    start = svg.find("<svg")
    svg = svg[start:] if start > 0 else svg
    head, rest = svg.split(">", 1)
    return _SVG_NAMESPACES.sub("", head) + ">" + rest
