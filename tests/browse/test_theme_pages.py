import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from collaboration.models import Role
from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue

pytestmark = pytest.mark.django_db

THEMES = reverse("browse:theme-list")


def test_theme_index_lists_published_themes_with_counts(client):
    shown = factories.ThemeFactory(short_name="International links")
    factories.ThemeFactory(short_name="Secret theme", status=Status.DRAFT)
    factories.ReportFactory.create_batch(2, themes=[shown])
    factories.ReportFactory(themes=[shown], status=Status.DRAFT)
    analysis = factories.GapAnalysisFactory()
    factories.KnowledgeGapFactory(analysis=analysis, theme=shown)
    factories.KnowledgeGapFactory(
        analysis=analysis, theme=shown, status=KnowledgeGap.Status.ANSWERED
    )

    response = client.get(THEMES)

    assertContains(response, "International links")
    assertContains(response, "2 reports · 1 open knowledge gap")
    assertNotContains(response, "Secret theme")


def test_theme_page_shows_both_wordings_and_its_reports_newest_first(client, theme):
    theme.alternative_wording = "Linking national and international crime groups"
    theme.save()
    older = factories.ReportFactory(themes=[theme], published_on=datetime.date(2020, 11, 1))
    newer = factories.ReportFactory(themes=[theme], published_on=datetime.date(2021, 2, 1))
    factories.ReportFactory(title="Draft on this theme", themes=[theme], status=Status.DRAFT)
    factories.ReportFactory(title="Report on another theme")

    response = client.get(theme.get_absolute_url())

    assertContains(response, "<h1", count=1)
    assertContains(response, theme.full_name)
    assertContains(response, "Linking national and international crime groups")
    assert [report["pk"] for report in response.context["reports"]] == [newer.pk, older.pk]
    assertNotContains(response, "Draft on this theme")
    assertNotContains(response, "Report on another theme")


def test_theme_reports_are_paginated(client, theme):
    factories.ReportFactory.create_batch(23, themes=[theme])

    first = client.get(theme.get_absolute_url())
    second = client.get(theme.get_absolute_url() + "?page=2")

    assert len(first.context["reports"]) == 20
    assert len(second.context["reports"]) == 3
    assertContains(first, 'href="?page=2"')
    assert client.get(theme.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(theme.get_absolute_url() + "?page=x").status_code == 404


def test_draft_theme_is_not_found(client):
    draft = factories.ThemeFactory(status=Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_theme_page_shows_gap_analyses_and_only_open_gaps(client, theme):
    analysis = factories.GapAnalysisFactory(title="Mind the gap")
    analysis.themes.add(theme)
    hidden = factories.GapAnalysisFactory(title="Draft analysis", status=Status.DRAFT)
    hidden.themes.add(theme)
    factories.KnowledgeGapFactory(analysis=analysis, theme=theme, question="Open question?")
    factories.KnowledgeGapFactory(
        analysis=analysis,
        theme=theme,
        question="Answered question?",
        status=KnowledgeGap.Status.ANSWERED,
    )
    factories.KnowledgeGapFactory(analysis=hidden, theme=theme, question="Hidden question?")

    response = client.get(theme.get_absolute_url())

    assertContains(response, "Mind the gap")
    assertContains(response, "Open question?")
    for hidden_text in ["Draft analysis", "Answered question?", "Hidden question?"]:
        assertNotContains(response, hidden_text)


def test_theme_leads_come_current_first_and_leads_before_researchers(client, theme):
    today = datetime.date.today()
    past = factories.RoleFactory(
        theme=theme,
        kind=Role.Kind.THEME_LEAD,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    researcher = factories.RoleFactory(theme=theme, kind=Role.Kind.RESEARCHER)
    lead = factories.RoleFactory(
        theme=theme, kind=Role.Kind.THEME_LEAD, start_date=today - datetime.timedelta(days=30)
    )
    factories.RoleFactory(
        theme=theme, person=factories.PersonFactory(name="Draft Person", status=Status.DRAFT)
    )

    response = client.get(theme.get_absolute_url())

    assert list(response.context["roles"]) == [lead, researcher, past]
    assertNotContains(response, "Draft Person")


def test_theme_pages_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    theme = grow_catalogue(SMALL)[0].primary_theme
    pages = [THEMES, theme.get_absolute_url()]

    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=8, grow=lambda: grow_catalogue(LARGE)
    )


def test_theme_index_counts_the_open_gaps_its_theme_page_lists(client, theme):
    """A gap counts for a theme by its own theme or, having none, by its analysis's themes."""
    other = factories.ThemeFactory()
    analysis = factories.GapAnalysisFactory()
    analysis.themes.set([theme, other])
    factories.KnowledgeGapFactory(analysis=analysis, theme=theme, question="Own theme?")
    factories.KnowledgeGapFactory(analysis=analysis, theme=None, question="Analysis theme?")
    factories.KnowledgeGapFactory(analysis=analysis, theme=other, question="Other theme?")
    factories.KnowledgeGapFactory(
        analysis=analysis, theme=theme, status=KnowledgeGap.Status.ANSWERED
    )

    index = client.get(reverse("browse:theme-list"))
    counts = {t.pk: t.open_gap_count for t in index.context["themes"]}
    page = client.get(theme.get_absolute_url())

    listed = [gap.question for gap in page.context["open_gaps"]]
    assert sorted(listed) == ["Analysis theme?", "Own theme?"]
    assert counts[theme.pk] == len(listed)
    assert counts[other.pk] == 2


def test_a_theme_page_names_its_newest_open_gaps_and_links_to_all_of_them(client):
    from browse.views import OPEN_GAPS_ON_THEME_PAGE

    theme = factories.ThemeFactory()
    analysis = factories.GapAnalysisFactory()
    gaps = [
        factories.KnowledgeGapFactory(theme=theme, analysis=analysis)
        for _ in range(OPEN_GAPS_ON_THEME_PAGE + 3)
    ]
    response = client.get(theme.get_absolute_url())
    page = response.content.decode()
    shown = [gap for gap in gaps if gap.question in page]
    assert shown == gaps[-OPEN_GAPS_ON_THEME_PAGE:]
    assertContains(response, f"{reverse('agenda:gap-list')}?theme={theme.slug}")


def test_theme_page_and_index_filtered_by_it_list_the_same_reports_after_each_change(client, theme):
    """One kept list of keys serves both: a publish or unpublish shows on both at once."""
    older = factories.ReportFactory(themes=[theme], published_on=datetime.date(2020, 1, 1))
    newer = factories.ReportFactory(themes=[theme], published_on=datetime.date(2021, 1, 1))
    draft = factories.ReportFactory(
        themes=[theme], published_on=datetime.date(2022, 1, 1), status=Status.DRAFT
    )
    index = f"{reverse('reports:report-list')}?theme={theme.slug}"

    def listed(url):
        return [item["pk"] for item in client.get(url).context["page_obj"].object_list]

    assert listed(theme.get_absolute_url()) == listed(index) == [newer.pk, older.pk]

    draft.status = Status.PUBLISHED
    draft.save()
    assert listed(index) == listed(theme.get_absolute_url()) == [draft.pk, newer.pk, older.pk]

    newer.status = Status.DRAFT
    newer.save()
    assert listed(theme.get_absolute_url()) == listed(index) == [draft.pk, older.pk]
