"""generate_demo_data also tracks demo recommendations and logs demo impact, in proportion."""

import pytest
from django.core.management import call_command

from impact.models import ImpactEntry
from reports.models import Recommendation, RecommendationUpdate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    themes = [factories.ThemeFactory(position=n, slug=f"theme-{n}") for n in range(1, 7)]
    factories.OrganisationFactory.create_batch(3)
    real = factories.RecommendationFactory(report=factories.ReportFactory(themes=themes[:1]))
    return real


def test_demo_recommendations_get_statuses_history_updates_and_impact(seeded):
    call_command("generate_demo_data", reports=400, seed=11, drafts=0)
    demo = Recommendation.objects.exclude(pk=seeded.pk)
    statuses = set(demo.values_list("status", flat=True))
    assert statuses == set(Recommendation.Status.values)
    tracked = demo.exclude(status="not_recorded")
    assert tracked.filter(owner_organisation__isnull=False, target_date__isnull=False).exists()
    assert all(r.status_changes.count() == 1 for r in tracked[:20])
    updates = RecommendationUpdate.objects.published()
    assert updates.count() >= tracked.exclude(status="not_started").count()
    entries = ImpactEntry.objects.published()
    assert entries.count() == 400 // 20
    entry = entries.prefetch_related("recommendations", "reports", "themes").first()
    assert entry.recommendations.exists() and entry.reports.exists() and entry.themes.exists()
    assert "Synthetic demo entry" in entry.description


def test_the_real_recommendation_is_left_not_recorded(seeded):
    call_command("generate_demo_data", reports=50, seed=12)
    seeded.refresh_from_db()
    assert seeded.status == "not_recorded" and not seeded.updates.exists()
    assert not seeded.impact_entries.exists()


def test_drafts_share_applies_to_updates_and_entries(seeded):
    call_command("generate_demo_data", reports=200, seed=13, drafts=1)
    assert not RecommendationUpdate.objects.published().exists()
    assert not ImpactEntry.objects.published().exists()
    assert ImpactEntry.objects.exists()
