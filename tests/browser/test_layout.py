"""Every public page type fits a 320 px screen: no horizontal scrolling, styles loaded."""

import pytest

from tests.public_pages import PAGE_TYPES, public_pages

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


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_horizontal_scroll_at_320px(page, page_type):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and failed.append(f"{response.url} ({response.status})")
        ),
    )
    page.set_viewport_size(PHONE)
    page.goto(public_pages()[page_type])

    assert not failed, f"resources failed to load: {failed}"
    rules = page.evaluate("() => [...document.styleSheets].map((s) => s.cssRules.length)")
    assert rules and all(rules), "the site stylesheet is missing or empty"
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], (
        f"{page_type} scrolls sideways at 320 px ({scroll_width} px wide); "
        f"too wide: {page.evaluate(OVERFLOWING, PHONE['width'])}"
    )
