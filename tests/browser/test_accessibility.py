"""axe-core finds no WCAG 2.2 A/AA violation (nor best-practice issue) on any public page.

The page types are checked in one test so the content is seeded once, and a
failure lists every page's violations together.
"""

import pytest
from django.contrib.auth.models import Group

from publishing.curators import CURATORS_GROUP
from tests import factories
from tests.browser.axe import assert_no_axe_violations, axe_report
from tests.public_pages import MISSING_PAGE, PAGE_TYPES, public_pages

PHONE = {"width": 320, "height": 640}
PASSWORD = "correct horse battery staple"
CHECKED_AT_PHONE_WIDTH = [
    "home",
    "report-list",
    "report-detail",
    "gap-list",
    "impact-entry-list",
    "gapanalysis-detail",
    "search-results",
    "recommendation-list",
    "coverage",
]


def test_no_public_page_type_has_axe_violations(page):
    pages = public_pages()
    problems = []
    for page_type in PAGE_TYPES:
        response = page.goto(pages[page_type])
        assert response.status == (404 if pages[page_type] == MISSING_PAGE else 200)
        problems.append(axe_report(page))
    page.set_viewport_size(PHONE)
    for page_type in CHECKED_AT_PHONE_WIDTH:
        page.goto(pages[page_type])
        problems.append(axe_report(page).replace(" on ", " at 320 px on ", 1))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


def test_reports_index_with_unrecognised_filters_has_no_axe_violations(page):
    """The error summary shown for a stale filter link is accessible too."""
    page.goto("/reports/?theme=no-such-theme&year=1066")
    assert page.get_by_role("alert").is_visible()
    assert_no_axe_violations(page)


def test_get_involved_form_showing_its_errors_has_no_axe_violations(page, settings):
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 0  # a quick human, not a bot
    page.goto(public_pages()["register"])
    page.get_by_role("button", name="Send registration").click()
    page.get_by_role("alert").wait_for()
    assert_no_axe_violations(page)


def test_expired_form_page_explains_what_to_do_and_has_no_axe_violations(page, context):
    page.goto(public_pages()["register"])
    context.clear_cookies()  # as when the form's cookie has expired or is blocked
    page.get_by_role("button", name="Send registration").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Sorry, your form could not be sent"
    assert page.get_by_role("link", name="Open the form again").is_visible()
    assert_no_axe_violations(page)


def test_refused_and_bad_request_pages_have_no_axe_violations(page, settings):
    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    response = page.goto("/admin/auth/user/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Sorry, you cannot open this page"
    assert_no_axe_violations(page)

    settings.ALLOWED_HOSTS = ["empac.example.org"]  # the live server's own host is now unknown
    response = page.goto("/")
    assert response.status == 400
    assert "could not be understood" in page.get_by_role("heading", level=1).inner_text()
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
