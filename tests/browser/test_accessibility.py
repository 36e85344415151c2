"""axe-core finds no WCAG 2.2 A/AA violation (nor best-practice issue) on any public page."""

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.public_pages import MISSING_PAGE, PAGE_TYPES, public_pages


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_axe_violations(page, page_type):
    path = public_pages()[page_type]
    response = page.goto(path)
    assert response.status == (404 if path == MISSING_PAGE else 200)
    assert_no_axe_violations(page)


def test_reports_index_with_unrecognised_filters_has_no_axe_violations(page):
    """The error summary shown for a stale filter link is accessible too."""
    page.goto("/reports/?theme=no-such-theme&year=1066")
    assert page.get_by_role("alert").is_visible()
    assert_no_axe_violations(page)


def test_phone_sized_home_and_report_pages_have_no_axe_violations(page):
    page.set_viewport_size({"width": 320, "height": 640})
    pages = public_pages()
    for page_type in ("home", "report-detail"):
        page.goto(pages[page_type])
        assert_no_axe_violations(page)


def test_axe_check_fails_on_a_page_with_a_violation(page):
    """The check is not vacuous: an image without a text alternative is reported."""
    page.goto(public_pages()["home"])
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            img.width = img.height = 10;
            document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        assert_no_axe_violations(page)
