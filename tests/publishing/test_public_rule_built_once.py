"""``Model.objects.published()`` is built once per process (publishing.models.PublicManager).

What must hold for that to be safe: every call answers from the database as it is when
the query runs, never from rows an earlier call read, and by the clock as it is then.
"""

import datetime
import zoneinfo

import pytest

from agenda.models import GapStatusChange
from collaboration.models import Role, Theme
from impact.models import ImpactEntry
from publishing.models import PublicManager, Status
from reports.models import (
    GapAnalysis,
    KnowledgeGap,
    Recommendation,
    RecommendationUpdate,
    Report,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    "model",
    [
        Report,
        Theme,
        GapAnalysis,
        KnowledgeGap,
        Recommendation,
        RecommendationUpdate,
        Role,
        ImpactEntry,
        GapStatusChange,
    ],
)
def test_every_model_with_a_public_rule_gets_a_fresh_queryset_each_call(model, settings):
    settings.EMPAC_CLOCK = NOON  # the SQL names the moment; the same for both
    assert isinstance(model.objects, PublicManager)
    first, second = model.objects.published(), model.objects.published()
    assert first is not second and first.query is not second.query
    assert str(first.query) == str(model.objects.get_queryset().published().query)


def test_rows_read_by_one_call_are_never_answered_by_the_next(theme):
    read = Report.objects.published()
    assert list(read) == []
    report = factories.ReportFactory(themes=[theme])
    assert list(Report.objects.published()) == [report]
    report.status = Status.WITHDRAWN
    report.save()
    assert list(Report.objects.published()) == []
    # The rule nested in another's: a gap of the report follows the report.
    gap = factories.KnowledgeGapFactory(analysis=None, report=report, theme=theme)
    assert list(KnowledgeGap.objects.published()) == []
    report.status = Status.PUBLISHED
    report.save()
    assert list(KnowledgeGap.objects.published()) == [gap]


def test_the_rule_built_before_reads_the_clock_when_it_runs(settings, theme):
    settings.EMPAC_CLOCK = NOON
    Report.objects.published().exists()  # built now, at noon
    report = factories.ReportFactory(
        themes=[theme],
        go_live_at=NOON + datetime.timedelta(hours=1),
        expires_at=NOON + datetime.timedelta(hours=2),
    )
    gap = factories.KnowledgeGapFactory(analysis=None, report=report, theme=theme)
    assert not Report.objects.published().exists()
    settings.EMPAC_CLOCK = NOON + datetime.timedelta(hours=1, minutes=1)
    assert list(Report.objects.published()) == [report]
    assert list(KnowledgeGap.objects.published()) == [gap]
    settings.EMPAC_CLOCK = NOON + datetime.timedelta(hours=2, minutes=1)
    assert not Report.objects.published().exists()
    assert not KnowledgeGap.objects.published().exists()


def test_a_rule_applied_to_a_narrowed_queryset_is_built_for_it(theme):
    other = factories.ThemeFactory()
    kept = factories.ReportFactory(themes=[theme])
    factories.ReportFactory(themes=[other])
    assert list(Report.objects.filter(themes=theme).published()) == [kept]
