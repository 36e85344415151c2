"""Lists of reports: each item shows what the report page would, and only if published."""

import datetime

import pytest
from django.template.defaultfilters import truncatewords
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from reports.models import SUMMARY_WORDS, Report, excerpt
from tests import factories

pytestmark = pytest.mark.django_db

words = st.lists(st.sampled_from(["crime", "…", "county\nlines", " ", "\t", "ROCU", "é"]))


@given(st.builds(" ".join, words))
def test_a_summary_is_cut_where_truncatewords_would_cut_it(text):
    assert excerpt(text) == truncatewords(text, SUMMARY_WORDS)


def test_list_items_give_dates_as_precisely_as_they_are_known(client, theme):
    precision = Report.DatePrecision
    day, month, year = precision.DAY, precision.MONTH, precision.YEAR
    for title, known in (("Daily", day), ("Monthly", month), ("Yearly", year)):
        factories.ReportFactory(
            title=title,
            themes=[theme],
            published_on=datetime.date(2020, 12, 2),
            date_precision=known,
        )
    factories.ReportFactory(title="Undated", themes=[theme], published_on=None)

    response = client.get(theme.get_absolute_url())

    assertContains(response, '<time datetime="2020-12-02">2 December 2020</time>', html=True)
    assertContains(response, '<time datetime="2020-12">December 2020</time>', html=True)
    assertContains(response, '<time datetime="2020">2020</time>', html=True)
    # A <time> must hold a date; an undated report says so in plain text.
    assertContains(response, "Progress report · Date not stated</p>")
    assertNotContains(response, "<time>")


def test_list_items_show_the_kind_a_linked_title_and_a_short_summary(client, theme):
    summary = " ".join(f"word{n}" for n in range(SUMMARY_WORDS + 5))
    report = factories.ReportFactory(
        title="Fraud & <the> law", kind=Report.Kind.NEWS, summary=summary, themes=[theme]
    )

    response = client.get(theme.get_absolute_url())

    assertContains(response, f'<a class="govuk-link" href="{report.get_absolute_url()}">')
    assertContains(response, "Fraud &amp; &lt;the&gt; law")
    assertContains(response, "News · ")
    assertContains(response, f"word{SUMMARY_WORDS - 1} …")
    assertNotContains(response, f"word{SUMMARY_WORDS}")


@pytest.mark.parametrize(
    "list_url",
    [lambda theme: "/reports/", lambda theme: theme.get_absolute_url()],
    ids=["reports index", "theme page"],
)
def test_a_deep_page_never_shows_a_report_unpublished_since_its_list_was_worked_out(
    client, theme, list_url
):
    oldest = factories.ReportFactory(title="The oldest report", themes=[theme])
    factories.ReportFactory.create_batch(24, themes=[theme])
    page_2 = f"{list_url(theme)}?page=2"
    # The oldest report is on page 2, and the list's keys are now kept for this content.
    assertContains(client.get(page_2), oldest.title)

    # Unpublished by an UPDATE that no signal reports, so the kept keys still name it.
    Report.objects.filter(pk=oldest.pk).update(status=Status.DRAFT)

    response = client.get(f"{page_2}&r=1")
    assert response["X-Page-Cache"] == "miss"
    assertNotContains(response, oldest.title)
    assert len(response.context["reports"]) == 4
