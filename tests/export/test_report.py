"""The report: self-contained HTML with the charts, and a PDF of it that parses and prints."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from repairtrack.services.export import Bundle
from tests.export.support import example_entries, make_bundle, pdf_text

NETWORK = re.compile(
    r"""(?:https?:|ftp:|wss?:)//|(?:src|href|action|poster|data)\s*=\s*["']?\s*//|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import|<link\b|<script\b|<iframe\b""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    # Ends on 1 April 2026: the last 28 days hold 11 bids, so the references show.
    return make_bundle(example_entries(), "ana-ben", from_day=date(2026, 3, 2), to_day=date(2026, 4, 1))


def test_report_html_reaches_for_nothing_on_the_network(bundle: Bundle) -> None:
    html = bundle.files["report.html"].decode()

    assert NETWORK.findall(html) == []
    assert "<style>" in html  # the styles are inline


def test_report_html_holds_the_weekly_charts_as_inline_svg(bundle: Bundle) -> None:
    html = bundle.files["report.html"].decode()
    charts = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)

    assert len(charts) >= 6
    assert any("Trust consistency" in chart for chart in charts)
    assert any("Ana" in chart and "Ben" in chart for chart in charts)  # per-partner lines


def test_the_first_page_says_who_which_period_and_what_stands_out(bundle: Bundle) -> None:
    first = " ".join(pdf_text(bundle.files["report.pdf"])[0].split())

    for expected in (
        "Counselor report: Ana and Ben",
        "2 Mar 2026 to 1 Apr 2026",
        "At a glance",
        "Repair attempts accepted",
        "Trust consistency",
        "What improved",
        "What needs attention",
        "Recurring topics",
        "Open promises",
        "86%",  # the bids reference (the window holds at least 10 bids)
        "5 to 1",
    ):
        assert expected in first, expected
    assert re.search(r"repaired \d+ of \d+, median time to repair", first)


def test_the_pdf_has_the_sections_on_pages_of_their_own(bundle: Bundle) -> None:
    pages = [" ".join(p.split()) for p in pdf_text(bundle.files["report.pdf"])]

    def page_of(heading: str) -> int:
        return next(i for i, text in enumerate(pages) if text.startswith(heading) or f" {heading} " in text)

    assert len(pages) >= 5
    starts = [page_of(h) for h in ("Week by week", "What the numbers mean", "Guidance that fits")]
    assert starts == sorted(starts) and starts[0] >= 1 and len(set(starts)) == 3
    assert "Safety comes before repair" in " ".join(pages)  # the safety note is always in the guidance
    assert "too little to say" in " ".join(pages) or "weight" in pages[0]


def test_too_few_bids_show_no_research_reference() -> None:
    few = make_bundle(example_entries(), "ana-ben", to_day=date(2026, 3, 8))
    html = few.files["report.html"].decode()

    assert "fewer than 10 bids" in html
    assert "About 86% in newlyweds" not in html


def test_one_page_of_the_pdf_renders_to_an_image(bundle: Bundle, tmp_path: Path) -> None:
    if not shutil.which("pdftoppm") and not os.environ.get("CI"):
        pytest.skip("pdftoppm (poppler-utils) is not installed; CI installs it")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(bundle.files["report.pdf"])

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )

    image = next(tmp_path.glob("page*.png")).read_bytes()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait


def test_every_chart_is_drawn_at_the_same_scale(bundle: Bundle) -> None:
    """Charts with reference labels right of the plot get a narrower plot, not a smaller drawing."""
    from repairtrack.services.export.report import CHART_ROOM, CHART_WIDTH

    html = bundle.files["report.html"].decode()
    widths = [float(w) for w in re.findall(r'<svg\b[^>]*?\swidth="([\d.]+)"', html)]
    assert len(widths) >= 6
    assert all(CHART_WIDTH <= width <= CHART_ROOM for width in widths), widths
    assert "±" not in html and "+0 points" not in html
