"""What every page has, run alone over a real store: the safety note and the quick-hide button at the top,
the most used pages in the bottom bar, and in the sidebar who is here (names as written) with a one-click
switch to the other partner. It reads what "Who is here" leaves in the session (given here through
`at.session_state`) and links to pages app.py registers (navigation.linked_pages stands in)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from projections.presenting import escape_markdown
from tests.dashboard.components.rendering import block_keys, shown_as_written
from tests.dashboard.conftest import COUPLE, Store, run_alone


def chrome_app(keys: list[str]) -> None:
    from dashboard.components import chrome
    from tests.dashboard.components.navigation import linked_pages

    with linked_pages():
        for key in keys:
            chrome.show(key=key)


def run(couple: str | None = COUPLE, partner: str | None = "ana", keys: tuple[str, ...] = ("k",)) -> AppTest:
    return run_alone(chrome_app, list(keys), couple=couple, partner=partner)


def links(at: AppTest) -> list[str]:
    return [str(link.proto.label) for link in at.get("page_link")]


def test_nobody_chosen_the_top_bar_and_a_way_to_choose(store: Store) -> None:
    at = run(couple=None)
    assert "k:top:safety" in block_keys(at)
    assert at.button(key="k:top:hide").label == "Hide"
    assert links(at) == ["Log", "Waiting", "Overview", "Choose who is here"]
    assert [c.value for c in at.sidebar.caption] == ["Nobody chosen yet."]


def test_a_couple_unknown_to_the_store_is_said_plainly(store: Store) -> None:
    at = run(couple="nobody-here")
    assert [c.value for c in at.sidebar.caption] == ["No couple 'nobody-here' in this store."]


def test_the_sidebar_names_the_couple_and_who_is_using_it(couple: Store) -> None:
    at = run()
    assert [m.value for m in at.sidebar.markdown] == ["**Ana & Ben**"]
    partner = at.segmented_control(key="k:side:partner")
    assert (partner.options, partner.value) == (["Ana", "Ben"], "ana")
    assert [c.value for c in at.sidebar.caption] == ["Times in Europe/Berlin."]
    assert at.session_state["screen:here"] == "pages/who.py"  # not called from a page of pages/


def test_switching_the_partner_forgets_half_filled_forms(couple: Store) -> None:
    at = run()
    at.session_state["form:ana-ben:check_in:note"] = "half written"
    at.segmented_control(key="k:side:partner").set_value("ben").run()
    assert not at.exception, at.exception
    assert at.session_state["who:partner"] == "ben"
    assert "form:ana-ben:check_in:note" not in at.session_state
    assert at.segmented_control(key="k:side:partner").value == "ben"


def test_hide_remembers_the_hidden_screen(couple: Store) -> None:
    at = run()
    at.button(key="k:top:hide").click().run()
    assert at.session_state["screen:hidden"] is True


def test_names_that_look_like_markup_are_shown_as_written(store: Store) -> None:
    name_a, name_b = "![x](http://e/x.png) <img src=x>", "**b**"
    store.record(
        "couple_registered",
        hours_ago=24,
        couple="hostile",
        partners=[{"handle": "a", "name": name_a}, {"handle": "b", "name": name_b}],
        timezone="UTC",
    )
    at = run("hostile", "a")
    [names] = at.sidebar.markdown
    assert names.value == f"**{escape_markdown(f'{name_a} & {name_b}')}**"
    assert shown_as_written(names.value, f"{name_a} & {name_b}", own=frozenset({"strong_open"}))
    options = at.segmented_control(key="k:side:partner").proto.options
    assert [o.content for o in options] == [escape_markdown(name_a), escape_markdown(name_b)]


def test_two_chromes_with_their_own_keys_keep_their_widgets_apart(couple: Store) -> None:
    at = run(keys=("k1", "k2"))
    assert {"k1:top:safety", "k2:top:safety", "k1-thumbs", "k2-thumbs"} <= set(block_keys(at))
    assert at.segmented_control(key="k1:side:partner").value == "ana"
    at.segmented_control(key="k2:side:partner").set_value("ben").run()
    assert at.session_state["who:partner"] == "ben"
    assert at.segmented_control(key="k1:side:partner").value == "ben"  # both show who is here now
