"""The impact log: public entries only, by theme and kind, with a feed and a sitemap."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from impact.models import ImpactEntry
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("impact:entry-list")


def test_only_published_entries_are_public():
    shown = factories.ImpactEntryFactory()
    factories.ImpactEntryFactory(status="draft")
    assert list(ImpactEntry.objects.published()) == [shown]


def test_the_list_shows_published_entries_newest_first_and_never_a_draft(client):
    factories.ImpactEntryFactory(title="Older change", happened_on="2024-01-01")
    factories.ImpactEntryFactory(title="Newer change", happened_on="2025-01-01")
    factories.ImpactEntryFactory(title="Draft change", status="draft")
    page = client.get(LIST_URL).content.decode()
    assert "Draft change" not in page
    assert page.index("Newer change") < page.index("Older change")


def test_a_draft_entry_has_no_page(client):
    draft = factories.ImpactEntryFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_entry_page_names_only_the_linked_items_that_are_public(
    client, published_report, draft_report
):
    public_gap = factories.KnowledgeGapFactory(
        analysis=factories.GapAnalysisFactory(report=published_report), question="Open question?"
    )
    draft_gap = factories.KnowledgeGapFactory(
        analysis=factories.GapAnalysisFactory(report=draft_report), question="Hidden question?"
    )
    entry = factories.ImpactEntryFactory(
        description="Red teaming trialled in one force.",
        reports=[published_report, draft_report],
        recommendations=[
            factories.RecommendationFactory(report=published_report, heading="Try it."),
            factories.RecommendationFactory(report=draft_report, heading="Hidden advice."),
        ],
        knowledge_gaps=[public_gap, draft_gap],
        organisations=[
            factories.OrganisationFactory(name="Named Force"),
            factories.OrganisationFactory(name="Unannounced Body", status="draft"),
        ],
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Red teaming trialled in one force." in page
    for shown in (published_report.title, "Try it.", "Open question?", "Named Force"):
        assert shown in page
    for hidden in (draft_report.title, "Hidden advice.", "Hidden question?", "Unannounced Body"):
        assert hidden not in page


def test_filters_by_theme_through_its_own_themes_or_its_reports(client, theme):
    factories.ImpactEntryFactory(title="Filed under theme", themes=[theme])
    factories.ImpactEntryFactory(
        title="Through a report", reports=[factories.ReportFactory(themes=[theme])]
    )
    factories.ImpactEntryFactory(title="Elsewhere", themes=[factories.ThemeFactory()])
    response = client.get(LIST_URL, {"theme": theme.slug})
    page = response.content.decode()
    assert "Filed under theme" in page and "Through a report" in page
    assert "Elsewhere" not in page
    assert response.context["paginator"].count == 2


def test_filters_by_kind_and_explains_an_unknown_one(client):
    factories.ImpactEntryFactory(title="Money in", kind="funding")
    factories.ImpactEntryFactory(title="A pilot", kind="trial")
    page = client.get(LIST_URL, {"kind": "funding"}).content.decode()
    assert "Money in" in page and "A pilot" not in page
    response = client.get(LIST_URL, {"kind": "magic"})
    assert response.status_code == 200
    assert "That is not a kind of change" in response.content.decode()


def test_the_feed_lists_published_entries_only(client):
    factories.ImpactEntryFactory(title="Policy changed")
    factories.ImpactEntryFactory(title="Draft policy", status="draft")
    response = client.get(reverse("feeds:impact"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert [entry.title for entry in feed.entries] == ["Policy changed"]
    list_page = client.get(LIST_URL).content.decode()
    assert reverse("feeds:impact") in list_page


def test_the_sitemap_lists_published_entries_only(client):
    shown = factories.ImpactEntryFactory()
    hidden = factories.ImpactEntryFactory(status="draft")
    index = client.get(reverse("feeds:sitemap")).content.decode()
    assert "sitemap-impact.xml" in index
    section = client.get("/sitemap-impact.xml").content.decode()
    assert shown.get_absolute_url() in section
    assert hidden.get_absolute_url() not in section
    pages = client.get("/sitemap-pages.xml").content.decode()
    for name in ("impact:entry-list", "impact:recommendation-list", "impact:coverage"):
        assert reverse(name) in pages


def test_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            factories.ImpactEntryFactory(themes=[factories.ThemeFactory()])

    fill(3)
    with django_assert_max_num_queries(10) as few:
        assert client.get(LIST_URL).status_code == 200
    fill(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST_URL, {"page": 2}).status_code == 200


def test_entry_page_query_count_does_not_grow_with_links(
    client, published_report, django_assert_max_num_queries
):
    entry = factories.ImpactEntryFactory()

    def link(count):
        for _ in range(count):
            entry.reports.add(factories.ReportFactory())
            entry.organisations.add(factories.OrganisationFactory())
            entry.recommendations.add(factories.RecommendationFactory(report=published_report))
            entry.knowledge_gaps.add(factories.KnowledgeGapFactory())

    link(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(entry.get_absolute_url()).status_code == 200
    link(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(entry.get_absolute_url()).status_code == 200


def test_a_deep_page_shows_only_published_entries_and_public_themes(client, theme):
    """Page 2 is read by key (impact.items.entry_items_by_key): drafts on it stay out."""
    draft_theme = factories.ThemeFactory(short_name="Unlaunched theme", status="draft")
    shown = []
    for i in range(25):
        happened = datetime.date(2025, 1, 31) - datetime.timedelta(days=2 * i)
        shown.append(factories.ImpactEntryFactory(title=f"Public change {i}", happened_on=happened))
        factories.ImpactEntryFactory(
            title=f"Draft change {i}",
            happened_on=happened - datetime.timedelta(days=1),
            status="draft",
        )
    shown[22].themes.set([theme, draft_theme])
    response = client.get(LIST_URL, {"page": 2})
    assert [entry["pk"] for entry in response.context["entries"]] == [e.pk for e in shown[20:]]
    page = response.content.decode()
    assert theme.short_name in page
    assert "Draft change" not in page and "Unlaunched theme" not in page
