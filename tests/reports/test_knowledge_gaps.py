"""Knowledge gaps raised by a report outside any gap analysis, and statuses not recorded."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories

pytestmark = pytest.mark.django_db

NOT_RECORDED = KnowledgeGap.Status.NOT_RECORDED


@pytest.fixture
def news_post(db, theme):
    return factories.ReportFactory(title="Growing momentum", kind="news", themes=[theme])


def test_a_report_lists_the_gaps_it_raises_outside_any_analysis(client, news_post, theme):
    factories.KnowledgeGapFactory(
        analysis=None,
        report=news_post,
        question="What links national and international networks?",
        theme=theme,
        status=KnowledgeGap.Status.BEING_RESEARCHED,
    )
    factories.ProvenanceFactory(
        entry=news_post.knowledge_gaps.get(), field="theme", note="theme inferred from the question"
    )

    response = client.get(news_post.get_absolute_url())

    assertContains(response, "Knowledge gaps raised here")
    assertContains(response, "What links national and international networks?")
    assertContains(response, "(theme inferred from the question)")
    theme_page = client.get(theme.get_absolute_url())
    assertContains(theme_page, "What links national and international networks?")
    assertContains(theme_page, "(theme inferred from the question)")


def test_a_gap_of_a_draft_report_is_not_public(client, theme):
    draft = factories.ReportFactory(status=Status.DRAFT, themes=[theme])
    gap = factories.KnowledgeGapFactory(analysis=None, report=draft, theme=theme)

    assert gap not in KnowledgeGap.objects.published()
    assertNotContains(client.get(theme.get_absolute_url()), gap.question)
    index = client.get(reverse("browse:theme-list"))
    assert {t.pk: t.open_gap_count for t in index.context["themes"]}[theme.pk] == 0


def test_a_gap_recorded_on_its_own_is_valid_and_starts_as_a_draft_off_the_site():
    gap = factories.KnowledgeGapFactory.build(analysis=None, report=None)
    gap.full_clean()
    gap.save()

    assert gap.workflow_status == Status.DRAFT
    assert gap not in KnowledgeGap.objects.published()


def test_a_status_not_recorded_counts_as_open_and_says_so(client, theme):
    analysis = factories.GapAnalysisFactory()
    gap = factories.KnowledgeGapFactory(analysis=analysis, theme=theme, status=NOT_RECORDED)

    assert gap in KnowledgeGap.objects.open()
    index = client.get(reverse("browse:theme-list"))
    assert {t.pk: t.open_gap_count for t in index.context["themes"]}[theme.pk] == 1
    page = client.get(theme.get_absolute_url())
    assert [g.pk for g in page.context["open_gaps"]] == [gap.pk]
    assertContains(page, "Status not recorded")
    assertContains(client.get(analysis.get_absolute_url()), "Status not recorded")
    listing = client.get(reverse("reports:gapanalysis-list"))
    assertContains(listing, "1 open of 1 knowledge gap")


def test_a_derived_date_is_shown_as_derived(client):
    post = factories.ReportFactory(
        kind="news", published_on=datetime.date(2021, 1, 1), date_precision="year"
    )
    factories.ProvenanceFactory(
        entry=post,
        field="published_on",
        note="the post is undated; it lists a report of February 2021",
    )

    response = client.get(post.get_absolute_url())

    assertContains(
        response,
        '2021</time> <span class="empac-meta">(date derived, not stated: the post is undated; '
        "it lists a report of February 2021)</span>",
    )
