import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db

HOME = reverse("browse:home")


def test_home_explains_the_collaboration_with_the_sources_figures(client):
    response = client.get(HOME)

    assertContains(response, "<h1", count=1)
    for figure in ["£37bn", "Cabinet Office", "5 police forces", "8 universities", "1,000+"]:
        assertContains(response, figure)


def test_home_counts_each_themes_published_reports_only(client):
    busy = factories.ThemeFactory(short_name="Digital technologies")
    quiet = factories.ThemeFactory(short_name="What works")
    factories.ReportFactory.create_batch(3, themes=[busy])
    factories.ReportFactory(themes=[busy], status=Status.DRAFT)

    themes = {theme.short_name: theme.report_count for theme in client.get(HOME).context["themes"]}

    assert themes == {busy.short_name: 3, quiet.short_name: 0}


def test_home_leaves_out_draft_themes(client):
    factories.ThemeFactory(short_name="Not announced yet", status=Status.DRAFT)

    assertNotContains(client.get(HOME), "Not announced yet")


def test_home_shows_the_latest_published_reports(client):
    for day in range(1, 8):
        factories.ReportFactory(
            title=f"Report of day {day}", published_on=datetime.date(2021, 1, day)
        )
    factories.ReportFactory(
        title="Tomorrow's draft", status=Status.DRAFT, published_on=datetime.date(2021, 1, 9)
    )

    response = client.get(HOME)

    latest = [report["title"] for report in response.context["latest_reports"]]
    assert latest == [f"Report of day {day}" for day in range(7, 2, -1)]
    assertNotContains(response, "Tomorrow's draft")


def test_home_invites_readers_to_register_interest(client):
    assertContains(client.get(HOME), f'href="{reverse("involvement:register")}"')


def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    grow_catalogue(SMALL)

    assert_query_counts_flat(
        client, django_assert_max_num_queries, [HOME], budget=5, grow=lambda: grow_catalogue(LARGE)
    )
