"""Progress on recommendations, and the impact log, in the read-only API: public only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.api.test_api import get
from tests.catalogue import assert_query_counts_flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(theme):
    """A public report's recommendation with progress, beside a draft report's."""
    owner = factories.OrganisationFactory(name="Leicestershire Police")
    lead = factories.PersonFactory(name="Hidden Lead", status="draft")
    report = factories.ReportFactory(themes=[theme], title="Public report")
    recommendation = factories.RecommendationFactory(
        report=report,
        number=1,
        heading="Share intelligence on county lines.",
        status="in_progress",
        owner_organisation=owner,
        owner_person=lead,
        target_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    factories.RecommendationUpdateFactory(
        recommendation=recommendation,
        happened_on=datetime.date(2025, 3, 1),
        summary="A pilot began in two forces.",
        evidence_url="https://example.org/pilot",
    )
    factories.RecommendationUpdateFactory(
        recommendation=recommendation,
        happened_on=datetime.date(2025, 6, 1),
        summary="A draft update nobody may see.",
        status="draft",
    )
    draft_report = factories.ReportFactory(themes=[theme], status="draft")
    hidden = factories.RecommendationFactory(
        report=draft_report, heading="A draft report's recommendation.", status="in_progress"
    )
    factories.RecommendationUpdateFactory(recommendation=hidden, summary="Progress on a draft.")
    return recommendation, hidden


def test_recommendations_list_only_those_of_public_reports(client, tracked):
    recommendation, hidden = tracked

    data = get(client, "recommendation-list")

    assert data["count"] == 1
    assert [item["id"] for item in data["results"]] == [recommendation.pk]
    get(client, "recommendation-detail", hidden.pk, status=404)
    text = str(data)
    assert "A draft report's recommendation." not in text
    assert "Progress on a draft." not in text


def test_a_recommendation_gives_its_progress_and_only_public_updates(client, tracked):
    recommendation, _ = tracked

    data = get(client, "recommendation-detail", recommendation.pk)

    assert data["status"] == "in_progress"
    assert data["status_label"] == "In progress"
    assert data["owner_organisation"]["name"] == "Leicestershire Police"
    assert data["owner_person"] is None  # a draft person is not named
    assert data["target_date"] == recommendation.target_date.isoformat()
    assert data["is_overdue"] is True
    assert data["last_update"] == "2025-03-01"
    assert data["updates"] == [
        {
            "date": "2025-03-01",
            "summary": "A pilot began in two forces.",
            "evidence_url": "https://example.org/pilot",
            "evidence_file": None,
        }
    ]
    assert data["report"]["slug"] == recommendation.report.slug
    assert data["url"].endswith(
        reverse(
            "impact:recommendation-detail",
            kwargs={"slug": recommendation.report.slug, "number": 1},
        )
    )
    assert "Hidden Lead" not in str(data)


def test_a_settled_or_undated_recommendation_is_not_overdue(client, tracked):
    recommendation, _ = tracked
    recommendation.status = "implemented"
    recommendation.save()
    undated = factories.RecommendationFactory(report=recommendation.report, status="not_started")

    assert get(client, "recommendation-detail", recommendation.pk)["is_overdue"] is False
    assert get(client, "recommendation-detail", undated.pk)["is_overdue"] is False
    assert get(client, "recommendation-detail", undated.pk)["last_update"] is None


def test_recommendations_filter_by_status_overdue_theme_and_report(client, tracked, theme):
    recommendation, _ = tracked
    other_theme = factories.ThemeFactory(slug="cyber")
    other = factories.RecommendationFactory(
        report=factories.ReportFactory(themes=[other_theme]), status="not_started"
    )

    def ids(**params):
        # Not get(): its "status" is the answer's, and here it is a filter.
        response = client.get(reverse("api:recommendation-list"), params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids(status="in_progress") == [recommendation.pk]
    assert ids(is_overdue="true") == [recommendation.pk]
    assert ids(is_overdue="false") == [other.pk]
    assert ids(theme=other_theme.slug) == [other.pk]
    assert ids(report=recommendation.report.slug) == [recommendation.pk]


def test_bad_recommendation_filters_are_a_400_naming_them(client, tracked):
    draft = factories.ReportFactory(status="draft", slug="a-draft-report")
    for params in ({"status": "done"}, {"is_overdue": "yes"}, {"report": draft.slug}):
        response = client.get(reverse("api:recommendation-list"), params)
        assert response.status_code == 400
        assert set(params) <= set(response.json()["errors"])


def test_the_impact_log_lists_public_entries_naming_only_public_items(client, tracked, theme):
    recommendation, hidden = tracked
    draft_gap = factories.KnowledgeGapFactory(analysis=factories.GapAnalysisFactory(status="draft"))
    entry = factories.ImpactEntryFactory(
        title="Force policy changed",
        themes=[theme],
        recommendations=[recommendation, hidden],
        knowledge_gaps=[draft_gap],
        reports=[recommendation.report, hidden.report],
    )
    factories.ImpactEntryFactory(title="A draft entry", status="draft", slug="draft-entry")

    data = get(client, "impactentry-list")

    assert [item["slug"] for item in data["results"]] == [entry.slug]
    [item] = data["results"]
    assert [r["id"] for r in item["recommendations"]] == [recommendation.pk]
    assert item["knowledge_gaps"] == []
    assert [r["slug"] for r in item["reports"]] == [recommendation.report.slug]
    assert item["url"] == f"http://testserver{entry.get_absolute_url()}"
    get(client, "impactentry-detail", "draft-entry", status=404)
    assert get(client, "impactentry-list", theme=theme.slug)["count"] == 1
    assert get(client, "impactentry-list", kind="funding")["count"] == 0


def test_progress_and_impact_answers_cost_the_same_queries_however_many_rows(
    client, django_assert_max_num_queries, tracked, theme
):
    def grow():
        for _ in range(15):
            report = factories.ReportFactory(themes=[theme])
            recommendation = factories.RecommendationFactory(
                report=report,
                owner_organisation=factories.OrganisationFactory(),
                owner_person=factories.PersonFactory(),
                status="in_progress",
            )
            factories.RecommendationUpdateFactory.create_batch(2, recommendation=recommendation)
            factories.ImpactEntryFactory(
                themes=[theme], recommendations=[recommendation], reports=[report]
            )

    factories.ImpactEntryFactory(themes=[theme], recommendations=[tracked[0]])
    pages = [
        reverse("api:recommendation-list"),
        reverse("api:recommendation-detail", args=[tracked[0].pk]),
        reverse("api:impactentry-list"),
        f"{reverse('api:impactentry-list')}?theme={theme.slug}",
    ]
    assert_query_counts_flat(client, django_assert_max_num_queries, pages, budget=16, grow=grow)
