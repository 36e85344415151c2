"""Every public page type fits a 320 px screen: no horizontal scrolling, styles loaded."""

from django.conf import settings

from tests.public_pages import public_pages

PHONE = {"width": 320, "height": 640}

# Elements that poke out of the viewport or whose content overflows them, to name
# the culprit on failure.
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
    .filter((el) => {
        const box = el.getBoundingClientRect();
        return Math.max(box.right, box.left + el.scrollWidth) > width + 0.5;
    })
    .slice(0, 10)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                 (el.classList.length ? "." + [...el.classList].join(".") : ""))"""


def test_no_public_page_type_scrolls_sideways_at_320px(page):
    failed = []
    # Going to the next page cancels (net::ERR_ABORTED) what this one still fetches after
    # its load event, such as the site icon; a file that is missing answers 4xx below.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and failed.append(request.url),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and failed.append(f"{response.url} ({response.status})")
        ),
    )
    page.set_viewport_size(PHONE)
    too_wide = []
    for page_type, path in public_pages().items():
        page.goto(path)
        rules = page.evaluate("() => [...document.styleSheets].map((s) => s.cssRules.length)")
        assert rules and all(rules), f"the site stylesheet is missing or empty on {path}"
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            culprits = page.evaluate(OVERFLOWING, PHONE["width"])
            too_wide.append(f"{page_type} ({path}) is {scroll_width} px wide; too wide: {culprits}")
    assert not failed, f"resources failed to load: {failed}"
    assert not too_wide, "pages scroll sideways at 320 px:\n" + "\n".join(too_wide)


def test_a_wide_table_scrolls_in_a_labelled_region_that_says_so(page):
    analysis = public_pages()["gapanalysis-detail"]
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(analysis)
    region = page.get_by_role("region", name="Mind the gap")
    hint = page.get_by_text("scroll the table sideways")
    assert hint.is_visible()
    assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth"), "nothing to scroll"

    # A keyboard user reaches the region and scrolls it with the arrow keys.
    for _ in range(60):
        page.keyboard.press("Tab")
        if region.evaluate("(el) => el === document.activeElement"):
            break
    else:
        raise AssertionError("the table region never takes the keyboard focus")
    outline = region.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline == "solid", "the focused region shows no focus outline"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())

    # On a wide screen the table fits and the hint is not shown.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not hint.is_visible()


# Each term of a description list with its value: whether the value is below the term,
# and how wide the value and the list are.
FACTS = """(dl) => [...dl.querySelectorAll("dt")].map((dt) => {
    const term = dt.getBoundingClientRect();
    const value = dt.nextElementSibling.getBoundingClientRect();
    return {term: dt.innerText, below: value.top >= term.bottom - 0.5,
            width: value.width, of: dl.getBoundingClientRect().width};
})"""


def test_a_gaps_facts_stack_on_a_phone_so_each_value_has_the_width(page):
    """Beside "Status last changed", a gap's facts in the register had about 100 px at 320."""
    pages = public_pages()
    page.set_viewport_size(PHONE)
    for page_type in ("gap-list", "gap-detail"):
        page.goto(pages[page_type])
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        facts = page.locator("main dl").first.evaluate(FACTS)
        assert "Status last changed" in [fact["term"] for fact in facts], page_type
        squeezed = [f for f in facts if not f["below"] or f["width"] < 0.9 * f["of"]]
        assert not squeezed, f"values beside their terms at 320 px on {page_type}: {squeezed}"
        assert facts[0]["of"] >= 280, page_type

    # On a wide screen the register keeps each term and its value on one line.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(pages["gap-list"])
    facts = page.locator("main dl.empac-gap-facts").first.evaluate(FACTS)
    assert not [fact for fact in facts if fact["below"]], facts


def test_the_main_navigation_fits_on_one_line_at_1280px(page):
    """Nine links 30 px apart (GOV.UK's spacing) put "Get involved" on a second line."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    hrefs = links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert len(hrefs) == len(settings.SITE_NAVIGATION)
    # On each section's own page its link is marked as the current one.
    for path in ["/", *hrefs]:
        page.goto(path)
        lines = links.evaluate_all(
            "(links) => [...new Set(links.map((a) => Math.round(a.getBoundingClientRect().top)))]"
        )
        assert len(lines) == 1, f"the main navigation takes {len(lines)} lines on {path}"
