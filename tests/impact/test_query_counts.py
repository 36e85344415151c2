"""Every page of progress, impact and coverage, and its downloads and feed, runs the same
number of queries however many recommendations, updates and entries there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.catalogue import assert_query_counts_flat

pytestmark = pytest.mark.django_db


def grow(theme, count):
    for n in range(count):
        report = factories.ReportFactory(
            themes=[theme, factories.ThemeFactory()],
            published_on=timezone.localdate() - datetime.timedelta(days=n),
        )
        report.authors.add(factories.PersonFactory())
        recommendation = factories.RecommendationFactory(
            report=report,
            owner_organisation=factories.OrganisationFactory(),
            owner_person=factories.PersonFactory(),
            status="in_progress",
            target_date=datetime.date(2001, 1, 1),
        )
        factories.RecommendationUpdateFactory.create_batch(2, recommendation=recommendation)
        factories.KnowledgeGapFactory(theme=theme)
        factories.KnowledgeGapFactory(theme=theme, analysis=None, workflow_status="published")
        factories.ImpactEntryFactory(
            themes=[theme], recommendations=[recommendation], reports=[report]
        )


def test_progress_impact_and_coverage_pages_are_flat(client, theme, django_assert_max_num_queries):
    grow(theme, 3)
    tracked = factories.RecommendationFactory(
        report=factories.ReportFactory(themes=[theme]), status="not_started"
    )
    entry = factories.ImpactEntryFactory(themes=[theme], recommendations=[tracked])
    progress = reverse(
        "impact:recommendation-detail",
        kwargs={"slug": tracked.report.slug, "number": tracked.number},
    )
    recommendations = reverse("impact:recommendation-list")
    impact = reverse("impact:entry-list")
    pages = [
        recommendations,
        f"{recommendations}?theme={theme.slug}&status=in_progress",
        progress,
        f"{impact}?theme={theme.slug}",
        entry.get_absolute_url(),
        reverse("impact:coverage"),
        reverse("impact:coverage-csv"),
        reverse("feeds:impact"),
    ]

    def more():
        grow(theme, 25)
        for n in range(10):
            factories.RecommendationUpdateFactory(recommendation=tracked)
            tracked.status = ["in_progress", "not_started"][n % 2]
            tracked.save()
            entry.reports.add(factories.ReportFactory(themes=[theme]))

    assert_query_counts_flat(client, django_assert_max_num_queries, pages, budget=20, grow=more)
    # Past the first page, once there are pages enough.
    assert client.get(recommendations, {"page": 2}).status_code == 200
    assert client.get(impact, {"page": 2}).status_code == 200
