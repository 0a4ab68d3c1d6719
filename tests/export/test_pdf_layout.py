"""The printed report of a demo couple (120 days, 18 weeks): every page renders, nothing runs into the
right margin (the wide weekly table gets a landscape page of its own), and the PDF is tagged (PDF/UA)
with its language and title."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repairtrack.services.export import Bundle
from repairtrack.services.export.report import TEMPLATES
from tests.export.support import demo_bundle

PX_PER_MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels
MARGIN_MM = 13  # the report's left and right page margins (templates/report.html)


@pytest.fixture(scope="module")
def demo() -> Bundle:
    return demo_bundle()


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@pytest.fixture(scope="module")
def laid_out(demo: Bundle) -> Any:
    import weasyprint

    return weasyprint.HTML(string=demo.files["report.html"].decode(), base_url=str(TEMPLATES)).render()


def test_the_weekly_table_stays_inside_its_page(laid_out: Any) -> None:
    found = []
    for number, page in enumerate(laid_out.pages):
        box = page._page_box
        right = box.margin_width() - box.margin_right  # the right edge of the page's content area
        for child in _boxes(box):
            element = getattr(child, "element", None)
            if element is None or element.tag != "table" or child.element_tag != "table":
                continue
            if "weekly" in (element.get("class") or "").split():
                found.append(number)
                assert child.position_x + child.margin_width() <= right + 0.5, number
                assert page.width > page.height  # a landscape page of its own
    assert found


def test_nothing_on_any_page_runs_past_the_right_margin(laid_out: Any) -> None:
    for number, page in enumerate(laid_out.pages):
        box = page._page_box
        right = box.margin_width() - box.margin_right
        for child in _boxes(box):
            if child is box or getattr(child, "element_tag", None) in (None, "html", "body"):
                continue
            if hasattr(child, "margin_width") and child.width is not None:
                assert child.position_x + child.border_width() <= right + 0.5, (number, child)


def test_every_page_renders_with_a_clear_right_margin(demo: Bundle, tmp_path: Path) -> None:
    if not shutil.which("pdftoppm") and not os.environ.get("CI"):
        pytest.skip("pdftoppm (poppler-utils) is not installed; CI installs it")
    from PIL import Image
    from pypdf import PdfReader

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(demo.files["report.pdf"])
    pages = len(PdfReader(io.BytesIO(demo.files["report.pdf"])).pages)
    dpi = 50
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(tmp_path / "p")], check=True, timeout=120
    )

    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages >= 5
    landscape = 0
    for path in images:
        with Image.open(path) as image:
            grey = image.convert("L")
            width, height = grey.size
            landscape += width > height
            strip = round((MARGIN_MM - 2) * dpi / 25.4)  # the right margin, less a little anti-aliasing
            margin = grey.crop((width - strip, 0, width, height))
            darkest = margin.getextrema()[0]
            assert isinstance(darkest, int) and darkest >= 250, f"{path.name}: drawn in the right margin"
    assert landscape == 1  # the weekly table's page


def test_the_pdf_is_tagged_with_its_language_and_title(demo: Bundle) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(demo.files["report.pdf"]))
    root: Any = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en"
    assert reader.metadata is not None and reader.metadata.title == "Counselor report: Alex and Sam"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
