"""report.html on a phone (390 x 844, Debian's chromium under Playwright, never a downloaded browser):
no sideways scrolling, wide tables scroll inside their own box, charts shrink to the screen; landmarks
and headings in order; and the page asks for nothing beyond itself."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.dashboard.browsing import chromium
from tests.export.support import demo_bundle

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    html = demo_bundle().files["report.html"].decode()
    requests: list[str] = []
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.on("request", lambda request: requests.append(request.url))
        phone.set_content(html, wait_until="load")
        phone.requests = requests
        yield phone
        context.close()


def test_the_report_fits_a_phone_without_sideways_scrolling(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.body.scrollWidth") <= PHONE["width"]


def test_wide_tables_scroll_in_their_own_box_and_charts_shrink(page: Any) -> None:
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => {
             const box = t.parentElement;
             return {inBox: box.classList.contains('table-box'), wide: t.scrollWidth > box.clientWidth,
                     overflow: getComputedStyle(box).overflowX, right: box.getBoundingClientRect().right};
           })"""
    )
    assert boxes and all(b["inBox"] and b["right"] <= PHONE["width"] for b in boxes)
    assert any(b["wide"] for b in boxes)  # the weekly table is wider than a phone ...
    assert all(b["overflow"] == "auto" for b in boxes if b["wide"])  # ... and scrolls inside its box
    charts = page.evaluate(
        "[...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert len(charts) >= 6 and max(charts) <= PHONE["width"]


def test_landmarks_and_headings_in_order(page: Any) -> None:
    assert page.evaluate("document.documentElement.lang") == "en"
    for landmark in ("body > header", "body > main", "body > footer"):
        assert page.locator(landmark).count() == 1, landmark
    assert page.locator("main section").count() >= 5
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no level skipped
    unnamed = page.evaluate(
        "[...document.querySelectorAll('main section')].filter(s => !s.querySelector('h2')).length"
    )
    assert unnamed == 0


def test_the_page_has_no_link_and_asks_for_nothing(page: Any) -> None:
    assert page.locator("a, link, script, iframe, img[src], [href], [src]").count() == 0
    assert [url for url in page.requests if not url.startswith(("about:", "data:"))] == []
