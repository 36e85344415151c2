"""Digest sources plug in from settings: another app's news joins digests without an import."""

import pytest

from alerts.sources import DigestItem, DigestSource, NewReports, digest_sources
from reports.models import GapAnalysis
from tests import factories
from tests.alerts.conftest import emails_to, later, run_digests

pytestmark = pytest.mark.django_db


class NewGapAnalyses(DigestSource):
    """What an app above alerts would add (say, impact entries), here with gap analyses."""

    name = "test-gap-analyses"
    heading = "New gap analyses"

    def public(self):
        return GapAnalysis.objects.published()

    def for_subscription(self, queryset, *, themes, gap_register):
        return queryset.filter(themes__in=themes).distinct()

    def item(self, analysis):
        return DigestItem(title=analysis.title, path=analysis.get_absolute_url())


@pytest.fixture
def with_plugged_source(settings):
    settings.EMPAC_DIGEST_SOURCES = [
        *settings.EMPAC_DIGEST_SOURCES,
        "tests.alerts.test_sources.NewGapAnalyses",
    ]


def test_the_sources_are_the_settings_list(settings):
    settings.EMPAC_DIGEST_SOURCES = ["alerts.sources.NewReports"]
    [source] = digest_sources()
    assert isinstance(source, NewReports)


@pytest.mark.usefixtures("with_plugged_source")
def test_a_plugged_in_source_appears_in_digests_and_only_what_it_calls_public(confirmed, themes):
    confirmed()
    analysis = factories.GapAnalysisFactory(title="A plugged-in item")
    analysis.themes.set([themes[0]])
    draft = factories.GapAnalysisFactory(title="A plugged-in draft", status="draft")
    draft.themes.set([themes[0]])

    run_digests(later(1))

    [message] = emails_to("reader@example.org")
    assert "New gap analyses" in message.body
    assert "A plugged-in item" in message.body
    assert "A plugged-in draft" not in message.body


def test_a_source_added_later_does_not_announce_what_it_already_held(confirmed, themes, settings):
    confirmed()
    analysis = factories.GapAnalysisFactory(title="Public long before")
    analysis.themes.set([themes[0]])
    run_digests(later(1))  # the plugged source is not listed yet

    settings.EMPAC_DIGEST_SOURCES = [
        *settings.EMPAC_DIGEST_SOURCES,
        "tests.alerts.test_sources.NewGapAnalyses",
    ]
    run_digests(later(2.1))

    assert emails_to("reader@example.org") == []
