"""What a reader does: follow a theme to a report and its document, and filter the index."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db.models import Count
from django.template.defaultfilters import filesizeformat

from collaboration.models import Theme
from publishing.models import Status
from reports.models import Report
from tests import factories
from tests.pdfs import pdf_with_text

PDF_BYTES = pdf_with_text("A progress report on serious and organised crime")


@pytest.fixture
def report_with_pdf(live_site):
    """The newest report on a theme, with its PDF uploaded by a curator."""
    report = (
        Report.objects.published().filter(themes__in=Theme.objects.published()).newest_first()
    ).first()
    report.pdf.save("progress-report.pdf", ContentFile(PDF_BYTES))
    return report


def test_reader_goes_from_home_through_a_theme_to_a_reports_pdf(page, report_with_pdf):
    report = report_with_pdf
    theme = report.themes.published().first()

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=theme.short_name, exact=True).click()
    page.wait_for_url(f"**{theme.get_absolute_url()}")
    assert theme.short_name in page.get_by_role("heading", level=1).inner_text()

    page.get_by_role("main").get_by_role("link", name=report.title, exact=True).first.click()
    page.wait_for_url(f"**{report.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == report.title

    pdf_link = page.get_by_role("link", name=re.compile(r"\(PDF, "))
    assert f"PDF, {filesizeformat(len(PDF_BYTES))}" in pdf_link.inner_text()
    assert pdf_link.get_attribute("href") == report.get_pdf_url()
    download = page.request.get(pdf_link.get_attribute("href"))
    assert download.ok
    assert download.headers["content-type"] == "application/pdf"
    assert download.body() == PDF_BYTES


def test_reader_follows_a_report_to_its_original_source(page, context, live_site):
    report = Report.objects.published().exclude(source_url="").filter(pdf="").first()
    # The source is on another site; answer for it so the test needs no network.
    context.route(
        report.source_url,
        lambda route: route.fulfill(content_type="text/html", body="<title>The original</title>"),
    )

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=report.title, exact=True).click()
    page.wait_for_url(f"**{report.get_absolute_url()}")

    source_link = page.get_by_role("main").locator(f'a[href="{report.source_url}"]')
    assert source_link.is_visible()
    source_link.click()
    page.wait_for_url(report.source_url)
    assert page.title() == "The original"


def busiest_theme_and_year():
    """The theme and year with most published reports, where the year narrows the theme."""
    published = Report.objects.published()
    pairs = (
        published.filter(themes__status=Status.PUBLISHED)
        .values("themes", "published_on__year")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "themes", "published_on__year")
    )
    for pair in pairs:
        theme = Theme.objects.get(pk=pair["themes"])
        if pair["n"] < published.filter(themes=theme).count():
            return theme, pair["published_on__year"]
    pytest.fail("the seeded content has no theme with reports in more than one year")


def test_reader_filters_reports_by_theme_and_year_and_gets_the_right_count(page, live_site):
    theme, year = busiest_theme_and_year()
    other_theme = Theme.objects.published().exclude(pk=theme.pk).first()
    in_year = {"published_on": f"{year}-06-15"}
    # Neither a draft nor a report on another theme may be counted.
    factories.ReportFactory(status=Status.DRAFT, themes=[theme], **in_year)
    factories.ReportFactory(themes=[other_theme], **in_year)
    expected = Report.objects.published().filter(themes=theme, published_on__year=year)
    titles = sorted(expected.values_list("title", flat=True))
    assert titles

    page.goto("/reports/")
    page.get_by_label("Theme").select_option(theme.slug)
    page.get_by_label("Year").select_option(str(year))
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/reports/\?"))

    query = parse_qs(urlsplit(page.url).query)
    assert query["theme"] == [theme.slug] and query["year"] == [str(year)]
    count = f"{len(titles)} report{'s' if len(titles) != 1 else ''} matching your filters"
    assert page.get_by_role("heading", name=count).is_visible()
    listed = page.locator(".empac-item-list").get_by_role("link").all_inner_texts()
    assert sorted(listed) == titles

    # The filtered list is shareable: the same address shows the same reports.
    shared = page.context.new_page()
    shared.goto(page.url)
    assert shared.get_by_role("heading", name=count).is_visible()
