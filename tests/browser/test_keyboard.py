"""Everything on a page is reachable with the Tab key alone, and shows where focus is."""

import pytest
from django.utils.http import urlencode
from playwright.sync_api import expect

from collaboration.models import Theme
from tests import factories
from tests.public_pages import public_pages

# Give every element a person should be able to Tab to a number, in document order.
# A radio group counts once: Tab enters it and the arrow keys move within it.
MARK_FOCUSABLE = """() => {
    const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]),'
        + ' select:not([disabled]), textarea:not([disabled]), summary,'
        + ' [tabindex]:not([tabindex="-1"])';
    const seenRadioGroups = new Set();
    const expected = [];
    document.querySelectorAll(selector).forEach((el, index) => {
        el.dataset.kbd = index;
        const style = getComputedStyle(el);
        if (!el.getClientRects().length || style.visibility === "hidden") return;
        if (el.type === "radio") {
            if (seenRadioGroups.has(el.name)) return;
            seenRadioGroups.add(el.name);
            document.querySelectorAll(`input[type=radio][name="${el.name}"]`)
                .forEach((radio) => { radio.dataset.kbd = index; });
        }
        expected.push({id: String(index), name: describe(el)});
    });
    function describe(el) {
        const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
        return `<${el.tagName.toLowerCase()}> ${text.slice(0, 40)}`;
    }
    window.__keyboard = {expected, reached: [], focused: {}, prev: null};
    return expected.length;
}"""

# The focus indicator must change an area around or behind the element: its outline,
# shadow, background or border (a change of text colour or underline alone is too
# faint to count).
STYLE = """(el) => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
        && !/rgba\\(.*, 0\\)$|transparent/.test(s.outlineColor);
    return JSON.stringify([outline && `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        s.boxShadow, s.backgroundColor, s.borderColor]);
}"""

# After each Tab: note what has focus and how it looks, and how the element that
# had focus before looks now that it has lost it. Returns false once focus leaves
# the page or comes back round.
STEP = (
    """() => {
    const style = """
    + STYLE
    + """;
    const state = window.__keyboard;
    if (state.prev) state.prev.blurred = style(state.prev.el);
    const el = document.activeElement;
    if (!el || el === document.body || el.dataset.kbd === undefined) return false;
    if (state.focused[el.dataset.kbd]) return false;
    const box = el.getBoundingClientRect();
    const entry = {el, focusedStyle: style(el), onScreen: box.width > 0 && box.height > 0
        && box.right > 0 && box.left < window.innerWidth};
    state.focused[el.dataset.kbd] = entry;
    state.reached.push(el.dataset.kbd);
    state.prev = entry;
    return true;
}"""
)

RESULT = """() => {
    const state = window.__keyboard;
    return {
        expected: state.expected,
        reached: state.reached,
        unseen: Object.entries(state.focused)
            .filter(([, e]) => !e.onScreen || e.blurred === e.focusedStyle)
            .map(([id]) => id),
    };
}"""


def tab_through(page, limit=400):
    """Press Tab from the top of the page until focus leaves it; report what was reached."""
    page.evaluate(MARK_FOCUSABLE)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate(STEP):
            break
    return page.evaluate(RESULT)


def assert_all_reachable_with_visible_focus(page):
    result = tab_through(page)
    names = {item["id"]: item["name"] for item in result["expected"]}
    unreached = [names[i] for i in names if i not in result["reached"]]
    assert not unreached, f"not reachable with Tab on {page.url}: {unreached}"
    unseen = [names.get(i, i) for i in result["unseen"]]
    assert not unseen, f"no visible focus indicator on {page.url}: {unseen}"
    return result


def test_skip_link_comes_first_and_moves_focus_to_the_main_content(page):
    page.goto(public_pages()["report-detail"])
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.inner_text() == "Skip to main content"
    box = skip_link.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0, "shown on focus"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside the main content, past the header and navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.fixture
def two_pages_of_reports(live_site):
    """More published reports than fit one page of the index, so pagination shows."""
    theme = Theme.objects.published().first()
    factories.ReportFactory.create_batch(25, themes=[theme])
    return theme


def test_reports_index_filters_and_pagination_are_all_reachable_by_keyboard(
    page, two_pages_of_reports
):
    page.goto("/reports/")
    pagination = page.get_by_role("navigation", name="Pages of reports")
    assert pagination.get_by_role("link").count() >= 2, "the index should have two pages"
    result = assert_all_reachable_with_visible_focus(page)
    reached = {item["name"] for item in result["expected"]}
    for control in ("<select>", "<button> Apply filters", "<a> Next", "<a> 2"):
        assert any(name.startswith(control) for name in reached), control


def test_filtering_reports_works_with_the_keyboard_alone(page, two_pages_of_reports):
    theme = two_pages_of_reports
    page.goto("/reports/")
    select = page.get_by_label("Theme")
    select.focus()
    # Arrow keys step a focused select through its options. (Typing the name relies on
    # the browser's one-second type-ahead window, which a busy machine can miss.)
    values = select.locator("option").evaluate_all("(options) => options.map((o) => o.value)")
    for _ in range(values.index(theme.slug) - values.index(select.input_value())):
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(theme.slug)
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/reports/?{urlencode({'theme': theme.slug})}*")
    assert page.get_by_label("Theme").input_value() == theme.slug


def test_other_page_types_are_reachable_by_keyboard_with_visible_focus(page):
    pages = public_pages()
    for page_type in (
        "home",
        "theme-detail",
        "report-detail",
        "person-list",
        "gapanalysis-detail",
        "recommendation-list",
        "coverage",
    ):
        page.goto(pages[page_type])
        assert_all_reachable_with_visible_focus(page)


# Each list with filters beside its results, and what holds the filters.
LISTS_WITH_FILTERS = {
    "gap-list": "nav[aria-labelledby=filter-theme]",
    "report-list": "form.empac-filters",
    "recommendation-list": "form.empac-filters",
    "impact-entry-list": "form.empac-filters",
    "search-results": "nav.empac-facets",
}


def test_a_link_skips_each_lists_filters_to_its_results(page):
    """At 320 px the filters come before the results: /gaps/ had 17 links to Tab past; at
    1280 px, 31 Tabs led to its first result."""
    pages = public_pages()
    page.set_viewport_size({"width": 320, "height": 640})
    for page_type, filters in LISTS_WITH_FILTERS.items():
        page.goto(pages[page_type])
        skip = page.get_by_role("link", name="Skip to the results")
        assert skip.is_visible(), page_type
        before = "(a, filters) => !!(a.compareDocumentPosition(filters) & 4)"
        assert skip.evaluate(before, page.locator(filters).element_handle()), page_type

        skip.focus()
        page.keyboard.press("Enter")
        heading = page.locator("#results-count")
        assert heading.evaluate("(h) => h === document.activeElement"), page_type
        assert heading.evaluate("(h) => h.tagName") == "H2"
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert focused.evaluate("(el) => !!el.closest('.govuk-grid-column-two-thirds')"), (
            f"the next Tab on {page_type} leaves the results for {focused.inner_text()!r}"
        )

        # Beside the results on a wide screen it is out of sight until the keyboard
        # reaches it, and then it works the same.
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(pages[page_type])
        box = skip.bounding_box()
        assert box is None or box["width"] <= 1 or box["height"] <= 1, page_type
        skip.focus()
        box = skip.bounding_box()
        assert box["width"] > 50 and box["height"] > 10, page_type
        page.keyboard.press("Enter")
        assert heading.evaluate("(h) => h === document.activeElement"), page_type
        page.set_viewport_size({"width": 320, "height": 640})


def test_main_navigation_works_by_keyboard_on_a_320px_screen(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(public_pages()["home"])
    navigation = page.get_by_role("navigation", name="Main")
    links = navigation.get_by_role("link")
    hrefs = links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert len(hrefs) >= 5

    reached = []
    for _ in range(len(hrefs) + 10):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.get_attribute("aria-expanded") == "false":
            page.keyboard.press("Enter")  # a menu button: open it
            assert focused.get_attribute("aria-expanded") == "true"
            continue
        if not focused.evaluate("(el, nav) => nav.contains(el)", navigation.element_handle()):
            if reached:
                break
            continue
        box = focused.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, "link is on screen"
        reached.append(focused.get_attribute("href"))
    assert reached == hrefs

    target = hrefs[-1]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
