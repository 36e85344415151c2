"""A gap's own page: facts, dated status history, related reports, and a way to help."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agenda.models import GapStatusChange
from agenda.services import gap_status_set
from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories

pytestmark = pytest.mark.django_db
S = KnowledgeGap.Status


@pytest.fixture
def report(theme):
    report = factories.ReportFactory(
        title="Community resilience", themes=[theme], published_on=datetime.date(2020, 11, 1)
    )
    factories.RecommendationFactory(report=report, heading="Trial the resilience toolkit.")
    return report


@pytest.fixture
def gap(report, theme):
    return factories.KnowledgeGapFactory(
        analysis=None,
        report=report,
        question="What makes a community resilient?",
        detail="Little is known about why some estates resist.",
        theme=theme,
        status=S.IDENTIFIED,
    )


def url(gap):
    return reverse("agenda:gap-detail", args=[gap.pk])


def test_the_page_shows_the_question_background_source_and_recommendations(client, gap, theme):
    related = factories.ReportFactory(title="Another on the theme", themes=[theme])
    draft = factories.ReportFactory(title="Draft on the theme", themes=[theme], status="draft")

    response = client.get(url(gap))

    assertContains(response, "What makes a community resilient?")
    assertContains(response, "Little is known about why some estates resist.")
    assertContains(response, "Community resilience")
    assertContains(response, "Trial the resilience toolkit.")
    assertContains(response, related.title)
    assertNotContains(response, draft.title)
    assertContains(response, theme.get_absolute_url())


def test_each_status_change_is_dated_in_the_history(client, gap, curator):
    first = gap_status_set(gap=gap, status=S.SCOPED, user=curator, note="Scoped with EMSOU.")
    GapStatusChange.objects.filter(pk=first.pk).update(
        changed_at=timezone.make_aware(datetime.datetime(2024, 5, 6, 12))
    )
    gap.refresh_from_db()
    gap_status_set(gap=gap, status=S.BEING_RESEARCHED, user=curator)

    response = client.get(url(gap))

    assertContains(response, '<time datetime="2024-05-06">6 May 2024</time>')
    assertContains(response, "Identified → <strong>Scoped</strong>. Scoped with EMSOU.")
    assertContains(response, "Scoped → <strong>Being researched</strong>")
    assert KnowledgeGap.objects.get(pk=gap.pk).status == S.BEING_RESEARCHED


def test_a_gap_with_no_recorded_changes_says_its_status_as_recorded(client, report):
    gap = factories.KnowledgeGapFactory(analysis=None, report=report, status=S.NOT_RECORDED)
    response = client.get(url(gap))
    assertContains(response, "Status as recorded: Status not recorded.")


def test_i_could_help_opens_get_involved_with_the_gap_chosen(client, gap, theme):
    response = client.get(url(gap))
    help_url = f"{reverse('involvement:register')}?gap={gap.pk}"
    assertContains(response, f'href="{help_url}"')

    form = client.get(help_url).content.decode()
    assert f'value="{gap.pk}" checked' in form
    # Its theme is ticked too.
    assert f'name="themes" type="checkbox" value="{theme.pk}" checked' in form


def test_an_answered_gap_says_so_with_its_answer_and_no_offer_to_help(client, gap, report):
    answer = factories.ReportFactory(title="What we found")
    gap.status, gap.answer, gap.answered_by = S.ANSWERED, "Shared identity matters.", answer
    gap.answer_url = "https://doi.org/10.1000/xyz"
    gap.full_clean()
    gap.save()

    response = client.get(url(gap))

    assertContains(response, "This question has been answered")
    assertContains(response, "Shared identity matters.")
    assertContains(response, answer.get_absolute_url())
    assertContains(response, "https://doi.org/10.1000/xyz")
    assertNotContains(response, "I could help with this")


def test_an_answer_needs_the_answered_status():
    gap = factories.KnowledgeGapFactory.build(
        analysis=factories.GapAnalysisFactory(), status=S.IDENTIFIED, answer="Known now."
    )
    with pytest.raises(Exception) as excinfo:
        gap.full_clean()
    assert "status" in excinfo.value.message_dict


def test_a_gap_of_a_draft_source_is_a_404(client, theme):
    draft = factories.ReportFactory(status=Status.DRAFT)
    hidden = factories.KnowledgeGapFactory(analysis=None, report=draft)
    assert client.get(url(hidden)).status_code == 404
    assert client.get("/gaps/999999/").status_code == 404


def test_a_gap_page_from_a_gap_analysis_links_back_to_it(client):
    gap = factories.KnowledgeGapFactory(question="Analysis gap?")
    response = client.get(url(gap))
    assertContains(response, gap.analysis.get_absolute_url())
    analysis_page = client.get(gap.analysis.get_absolute_url())
    assertContains(analysis_page, url(gap))


def test_a_search_result_for_a_gap_leads_to_its_page(client, gap):
    response = client.get(reverse("search:results"), {"q": "resilient"})
    assertContains(response, f'href="{url(gap)}"')
