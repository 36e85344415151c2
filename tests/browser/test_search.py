"""What a reader does with search: type in the header box, narrow by a facet, open a result."""

import re
from urllib.parse import parse_qs, urlsplit

from reports.models import Report

RESILIENCE = "Community Resilience Progress Report November 2020"


def test_reader_searches_from_the_header_narrows_by_a_facet_and_opens_a_result(page):
    page.goto("/themes/")
    header_search = page.get_by_role("search", name="Site")
    header_search.get_by_label("Search the knowledge base").fill("resilience")
    header_search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=resilience"))

    count = page.locator("#results-count")
    everything = int(count.inner_text().split()[0])
    assert everything > 1
    assert page.locator(".empac-results mark").first.inner_text().lower() == "resilience"

    facets = page.get_by_role("navigation", name="Narrow the results")
    reports_link = facets.get_by_role("link", name=re.compile(r"^Reports \(\d+"))
    expected = int(re.search(r"\((\d+)", reports_link.inner_text()).group(1))
    reports_link.click()
    page.wait_for_url(re.compile(r"type=report"))

    assert parse_qs(urlsplit(page.url).query) == {"q": ["resilience"], "type": ["report"]}
    assert count.inner_text().startswith(f"{expected} result")
    metas = page.locator(".empac-results .empac-meta").all_inner_texts()
    assert len(metas) == expected and all(meta.startswith("Report") for meta in metas)
    assert page.get_by_role(
        "link", name=re.compile("Remove the filter kind of result")
    ).is_visible()

    page.get_by_role("link", name=RESILIENCE).click()
    report = Report.objects.get(title=RESILIENCE)
    page.wait_for_url(f"**{report.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == RESILIENCE


def test_search_works_without_javascript_and_by_keyboard(browser, live_site):
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the site name
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == "site-search"
        page.keyboard.type("McCus")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q=McCus"))
        assert page.get_by_role("link", name="Professor Rob McCusker").is_visible()
    finally:
        context.close()


def test_a_typo_finds_the_report_and_says_what_was_searched(page):
    page.goto("/search/?q=adaptibility")

    assert (
        page.locator(".empac-results")
        .get_by_role("link", name="Organisational Adaptability Progress Report December 2020")
        .is_visible()
    )
