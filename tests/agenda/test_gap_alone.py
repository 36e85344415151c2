"""A knowledge gap recorded on its own: public by its own workflow state, on every surface.

Each surface that lists gaps is checked with a draft gap on its own beside a published one
(digests: tests/alerts/test_digests.py).
"""

import csv
import io
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from impact import coverage
from publishing.models import Marking, Status, Transition
from reports.models import KnowledgeGap
from search.documents import BY_MODEL
from search.models import Entry
from tests import factories
from tests.admin_helpers import action, messages_of, url

pytestmark = pytest.mark.django_db

PUBLIC_QUESTION = "How do county lines recruit through online gaming?"
DRAFT_QUESTION = "Which payment apps launder the proceeds of fraud?"


def alone(**fields):
    fields = {"analysis": None, "report": None, **fields}
    return factories.KnowledgeGapFactory(**fields)


@pytest.fixture
def gaps(theme):
    """A gap on its own that is published, and one still a draft, on the same theme."""
    public = alone(question=PUBLIC_QUESTION, theme=theme, workflow_status=Status.PUBLISHED)
    draft = alone(question=DRAFT_QUESTION, theme=theme)
    return public, draft


def test_only_the_published_gap_on_its_own_is_public(gaps):
    public, draft = gaps

    assert list(KnowledgeGap.objects.published()) == [public]
    assert draft.workflow_status == Status.DRAFT


@pytest.mark.parametrize("state", [Status.IN_REVIEW, Status.WITHDRAWN])
def test_a_gap_on_its_own_in_review_or_withdrawn_is_not_public(theme, state):
    alone(theme=theme, workflow_status=state)

    assert not KnowledgeGap.objects.published().exists()


def test_a_gap_in_a_draft_analysis_stays_off_the_site_whatever_its_own_state(theme):
    analysis = factories.GapAnalysisFactory(status=Status.DRAFT)
    factories.KnowledgeGapFactory(analysis=analysis, workflow_status=Status.PUBLISHED)

    assert not KnowledgeGap.objects.published().exists()


def test_the_register_and_its_downloads_list_only_the_published_gap(client, gaps):
    page = client.get(reverse("agenda:gap-list"))
    assertContains(page, PUBLIC_QUESTION)
    assertContains(page, "Recorded on its own")
    assertNotContains(page, DRAFT_QUESTION)
    assertContains(page, ">1 knowledge gap</h2>")

    rows = list(csv.DictReader(io.StringIO(client.get(reverse("agenda:gap-list-csv")).text)))
    assert [row["question"] for row in rows] == [PUBLIC_QUESTION]
    assert rows[0]["source"] == "" and rows[0]["source_url"] == ""

    data = json.loads(client.get(reverse("agenda:gap-list-json")).content)
    assert [gap["question"] for gap in data["knowledge_gaps"]] == [PUBLIC_QUESTION]


def test_the_gap_page_shows_the_published_gap_and_404s_the_draft(client, gaps):
    public, draft = gaps

    page = client.get(reverse("agenda:gap-detail", kwargs={"pk": public.pk}))
    assertContains(page, PUBLIC_QUESTION)
    assertContains(page, "Recorded on its own in this register")
    assert public.get_absolute_url() == reverse("agenda:gap-detail", kwargs={"pk": public.pk})
    assert client.get(reverse("agenda:gap-detail", kwargs={"pk": draft.pk})).status_code == 404


def test_the_theme_page_and_coverage_count_only_the_published_gap(client, gaps, theme):
    theme_page = client.get(theme.get_absolute_url())
    assertContains(theme_page, PUBLIC_QUESTION)
    assertNotContains(theme_page, DRAFT_QUESTION)

    [row] = [row for row in coverage.compute().rows if row.theme == theme]
    assert row.open_gaps == 1
    assertContains(client.get(reverse("impact:coverage")), theme.short_name)


def test_the_api_sitemap_and_feed_give_only_the_published_gap(client, gaps):
    public, draft = gaps

    listing = client.get("/api/knowledge-gaps/").json()
    assert [gap["question"] for gap in listing["results"]] == [PUBLIC_QUESTION]
    assert listing["results"][0]["analysis"] is None and listing["results"][0]["report"] is None
    assert client.get(f"/api/knowledge-gaps/{draft.pk}/").status_code == 404

    sitemap = client.get(reverse("feeds:sitemap-section", kwargs={"section": "knowledge-gaps"}))
    assertContains(sitemap, f"/gaps/{public.pk}/")
    assertNotContains(sitemap, f"/gaps/{draft.pk}/")

    feed = client.get(reverse("feeds:knowledge-gaps"))
    assertContains(feed, PUBLIC_QUESTION)
    assertContains(feed, "Recorded on its own in the register.")
    assertNotContains(feed, DRAFT_QUESTION)


def test_the_search_index_holds_only_the_published_gap(client, gaps):
    public, draft = gaps
    kind = BY_MODEL[KnowledgeGap].code
    indexed = set(Entry.objects.filter(kind=kind).values_list("object_id", flat=True))

    assert public.pk in indexed
    assert draft.pk not in indexed


def test_search_finds_the_published_gap_and_says_it_was_recorded_on_its_own(client, gaps):
    public, draft = gaps
    response = client.get(reverse("search:results"), {"q": "county lines gaming"})

    assertContains(response, public.get_absolute_url())
    assertContains(response, "recorded on its own")
    assertNotContains(response, "in None")
    response = client.get(reverse("search:results"), {"q": "payment apps launder"})
    assertNotContains(response, draft.get_absolute_url())


def test_publishing_a_draft_gap_on_its_own_indexes_it_for_search(gaps):
    _, draft = gaps
    kind = BY_MODEL[KnowledgeGap].code

    draft.workflow_status = Status.PUBLISHED
    draft.save()

    assert Entry.objects.filter(kind=kind, object_id=draft.pk).exists()


def test_the_database_refuses_a_published_gap_not_cleared_for_release(theme):
    with pytest.raises(IntegrityError), transaction.atomic():
        alone(theme=theme, workflow_status=Status.PUBLISHED, cleared_at=None)


def test_re_marking_a_published_gap_on_its_own_withdraws_it(gaps):
    public, _ = gaps

    public.marking = Marking.OFFICIAL_SENSITIVE
    public.save()

    public.refresh_from_db()
    assert public.workflow_status == Status.WITHDRAWN
    assert public.cleared_at is None
    assert not KnowledgeGap.objects.published().exists()


def gap_form(**fields):
    return {
        "analysis": "",
        "report": "",
        "position": "0",
        "question": DRAFT_QUESTION,
        "detail": "",
        "theme": "",
        "status": KnowledgeGap.Status.IDENTIFIED,
        "raised_on": "",
        "answer": "",
        "answered_by": "",
        "answer_url": "",
        "marking": Marking.OFFICIAL,
        "marking_descriptor": "",
        "workflow_status": Status.DRAFT,
        "publishing-provenance-content_type-object_id-TOTAL_FORMS": "0",
        "publishing-provenance-content_type-object_id-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_curator_records_a_gap_on_its_own_as_a_draft(curator_client):
    response = curator_client.post(url(KnowledgeGap, "add"), gap_form(), follow=True)

    assert response.status_code == 200
    gap = KnowledgeGap.objects.get(question=DRAFT_QUESTION)
    assert gap.is_alone and gap.workflow_status == Status.DRAFT
    assert not KnowledgeGap.objects.published().exists()


def test_a_curator_cannot_publish_a_gap_on_its_own_even_by_a_crafted_post(curator_client):
    response = curator_client.post(
        url(KnowledgeGap, "add"), gap_form(workflow_status=Status.PUBLISHED)
    )

    assert response.status_code == 200
    assertContains(response, "Only an editor can")
    assert not KnowledgeGap.objects.exists()


def test_an_editor_clears_and_publishes_a_gap_on_its_own_and_the_move_is_recorded(
    client, editor_client, editor
):
    gap = alone(question=DRAFT_QUESTION, cleared_at=None, workflow_status=Status.IN_REVIEW)

    refused = action(editor_client, KnowledgeGap, "publish", [gap])
    assert any("cleared for public release" in m for m in messages_of(refused))
    gap.refresh_from_db()
    assert gap.workflow_status == Status.IN_REVIEW

    action(editor_client, KnowledgeGap, "clear_for_release", [gap])
    action(editor_client, KnowledgeGap, "publish", [gap])

    gap.refresh_from_db()
    assert gap.workflow_status == Status.PUBLISHED
    move = Transition.objects.get(object_id=gap.pk, to_status=Status.PUBLISHED)
    assert move.by == editor and move.from_status == Status.IN_REVIEW
    assertContains(client.get(reverse("agenda:gap-list")), DRAFT_QUESTION)
    change_page = editor_client.get(url(KnowledgeGap, "change", gap.pk))
    assertContains(change_page, "Workflow (a gap recorded on its own)")
    assertContains(change_page, "In review → Published")


def test_publishing_a_gap_of_an_analysis_says_it_shows_with_its_analysis(editor_client):
    gap = factories.KnowledgeGapFactory()

    response = action(editor_client, KnowledgeGap, "publish", [gap])

    assert any("public with it" in m for m in messages_of(response))


def test_the_gap_list_filters_gaps_recorded_on_their_own(editor_client, gaps):
    factories.KnowledgeGapFactory(question="In an analysis")

    response = editor_client.get(url(KnowledgeGap), {"raised_in": "alone"})

    assertContains(response, PUBLIC_QUESTION)
    assertContains(response, DRAFT_QUESTION)
    assertNotContains(response, "In an analysis")


def test_a_curators_revert_of_a_published_gap_on_its_own_sends_it_back_for_review(
    curator_client,
):
    gap = alone(question="The first wording?")
    first = gap.history.latest()
    gap.question, gap.workflow_status = "The published wording?", Status.PUBLISHED
    gap.save()

    revert = reverse("admin:reports_knowledgegap_simple_history", args=[gap.pk, first.history_id])
    data = gap_form(question="The first wording?", workflow_status=Status.DRAFT)
    response = curator_client.post(revert, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    gap.refresh_from_db()
    assert gap.question == "The first wording?"
    # Not the old version's state: it was public, so a curator's revert goes to review.
    assert gap.workflow_status == Status.IN_REVIEW
    assert not KnowledgeGap.objects.published().exists()
