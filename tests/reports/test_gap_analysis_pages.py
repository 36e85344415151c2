import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db

ANALYSES = reverse("reports:gapanalysis-list")


@pytest.fixture
def analysis(db, theme):
    analysis = factories.GapAnalysisFactory(
        title="Mind the gap",
        table_caption="Table 1. Policing and crime adaptabilities",
        first_side="Police",
        second_side="OCG",
    )
    analysis.themes.add(theme)
    factories.ComparisonRowFactory(
        analysis=analysis,
        dimension="Focus",
        first_side_items="· Reactive\n· Historical",
        second_side_items="· Forward-looking",
    )
    factories.KnowledgeGapFactory(
        analysis=analysis, question="Could red teaming work here?", status="scoped"
    )
    factories.KnowledgeGapFactory(
        analysis=analysis, question="Is this answered?", status=KnowledgeGap.Status.ANSWERED
    )
    return analysis


def test_index_lists_published_analyses_with_gap_counts(client, analysis):
    factories.GapAnalysisFactory(title="Draft analysis", status=Status.DRAFT)
    factories.GapAnalysisFactory(
        title="From a draft report", report=factories.ReportFactory(status=Status.DRAFT)
    )

    response = client.get(ANALYSES)

    assertContains(response, "Mind the gap")
    assertContains(response, "1 open of 2 knowledge gaps")
    assertNotContains(response, "Draft analysis")
    assertNotContains(response, "From a draft report")


def test_index_counts_only_public_gaps(client, analysis):
    # Not cleared for public release: not public, so not counted either.
    factories.KnowledgeGapFactory(analysis=analysis, question="Uncleared", cleared_at=None)

    response = client.get(ANALYSES)

    assert KnowledgeGap.objects.published().filter(analysis=analysis).count() == 2
    assertContains(response, "1 open of 2 knowledge gaps")


def test_kept_gap_counts_follow_publishing_unpublishing_relinking_and_deleting(client, analysis):
    other = factories.GapAnalysisFactory(title="Another analysis")
    gap = factories.KnowledgeGapFactory(analysis=analysis, cleared_at=None, status="scoped")
    assertContains(client.get(ANALYSES), "1 open of 2 knowledge gaps")

    gap.cleared_at = timezone.now()  # cleared for release: now public
    gap.save()
    assertContains(client.get(ANALYSES), "2 open of 3 knowledge gaps")
    gap.status = KnowledgeGap.Status.ANSWERED
    gap.save()
    assertContains(client.get(ANALYSES), "1 open of 3 knowledge gaps")
    gap.analysis = other  # moved to another analysis
    gap.save()
    listing = client.get(ANALYSES)
    assertContains(listing, "1 open of 2 knowledge gaps")
    assertContains(listing, "0 open of 1 knowledge gap")
    other.status = Status.DRAFT  # its analysis unpublished: the gap goes with it
    other.save()
    assertNotContains(client.get(ANALYSES), "Another analysis")
    gap.analysis = analysis
    gap.save()
    gap.delete()
    assertContains(client.get(ANALYSES), "1 open of 2 knowledge gaps")


def test_comparison_is_a_data_table_with_lists_in_its_cells(client, analysis):
    response = client.get(analysis.get_absolute_url())

    assertContains(response, "<h1", count=1)
    assertContains(response, "Table 1. Policing and crime adaptabilities</caption>")
    assertContains(response, '<th scope="col" class="govuk-table__header">Police</th>')
    assertContains(response, '<th scope="col" class="govuk-table__header">OCG</th>')
    assertContains(
        response, '<th scope="row" class="govuk-table__header govuk-table__header--row">Focus</th>'
    )
    assertContains(
        response,
        '<ul class="empac-cell-list"><li>Reactive</li><li>Historical</li></ul>',
        html=True,
    )


def test_knowledge_gaps_show_their_status_as_a_tag(client, analysis):
    response = client.get(analysis.get_absolute_url())

    assertContains(response, "Could red teaming work here?")
    assertContains(
        response, '<strong class="govuk-tag govuk-tag--purple">Scoped</strong>', html=True
    )
    assertContains(
        response, '<strong class="govuk-tag govuk-tag--green">Answered</strong>', html=True
    )


@pytest.mark.parametrize("hide", ["analysis", "report"])
def test_draft_analysis_or_one_from_a_draft_report_is_not_found(client, analysis, hide):
    if hide == "analysis":
        analysis.status = Status.DRAFT
        analysis.save()
    else:
        analysis.report.status = Status.DRAFT
        analysis.report.save()

    assert client.get(analysis.get_absolute_url()).status_code == 404


def test_gap_analysis_pages_query_count_does_not_grow_with_content(
    client, django_assert_max_num_queries
):
    analysis = grow_catalogue(SMALL)[0].gap_analyses.first()

    def grow():
        grow_catalogue(LARGE)
        factories.KnowledgeGapFactory.create_batch(LARGE, analysis=analysis)
        factories.ComparisonRowFactory.create_batch(LARGE, analysis=analysis)

    pages = [ANALYSES, analysis.get_absolute_url()]
    assert_query_counts_flat(client, django_assert_max_num_queries, pages, budget=6, grow=grow)
