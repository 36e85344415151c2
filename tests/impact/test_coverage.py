"""Coverage at a glance: themes down the side, who is active and what is open across."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import GapContributor
from impact import coverage
from reports.models import KnowledgeGap
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("impact:coverage")


def row_for(theme):
    table = coverage.compute()
    return next(row for row in table.rows if row.theme == theme)


def recent(days=30):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_counts_only_public_content_with_drafts_beside_it(theme):
    author = factories.PersonFactory(name="Public Author")
    draft_author = factories.PersonFactory(name="Draft Author", status="draft")
    report = factories.ReportFactory(themes=[theme], published_on=recent())
    report.authors.add(author, draft_author)
    draft_report = factories.ReportFactory(themes=[theme], published_on=recent(), status="draft")
    draft_report.authors.add(factories.PersonFactory(name="Author of a draft"))
    factories.ReportFactory(themes=[theme], published_on=recent(400))  # older than a year

    factories.KnowledgeGapFactory(theme=theme, analysis=factories.GapAnalysisFactory(report=report))
    factories.KnowledgeGapFactory(
        theme=theme, analysis=factories.GapAnalysisFactory(report=draft_report)
    )
    factories.KnowledgeGapFactory(
        theme=theme,
        analysis=factories.GapAnalysisFactory(report=report),
        status=KnowledgeGap.Status.ANSWERED,
    )
    factories.RecommendationFactory(report=report, status="in_progress")
    factories.RecommendationFactory(report=draft_report, status="in_progress")
    factories.RecommendationFactory(report=report, status="implemented")

    row = row_for(theme)
    assert row.recent_reports == 1
    assert [p.name for p in row.people] == ["Public Author"]
    assert row.open_gaps == 1
    assert row.in_progress == 1
    assert [o.pk for o in row.organisations] == [author.organisation_id]


def test_a_draft_theme_has_no_row(theme):
    hidden = factories.ThemeFactory(status="draft")
    themes = [row.theme for row in coverage.compute().rows]
    assert theme in themes and hidden not in themes


def test_people_on_a_theme_by_a_confirmed_current_role_but_not_an_unconfirmed_one(theme, curator):
    confirmed = factories.RoleFactory(
        theme=theme, kind="theme_lead", person=factories.PersonFactory(name="Confirmed Lead")
    )
    confirmed.confirm(curator)
    factories.RoleFactory(
        theme=theme,
        kind="theme_lead",
        person=factories.PersonFactory(name="Named in 2021"),
        latest_source=factories.ReportFactory(),
    )
    factories.RoleFactory(
        theme=theme,
        person=factories.PersonFactory(name="Former"),
        end_date=datetime.date(2020, 1, 1),
    )
    assert [p.name for p in row_for(theme).people] == ["Confirmed Lead"]


def test_open_gaps_with_nobody_active_stand_out_unless_being_researched(client, theme):
    report = factories.ReportFactory(themes=[theme], published_on=recent(800))
    analysis = factories.GapAnalysisFactory(report=report)
    factories.KnowledgeGapFactory(theme=theme, analysis=analysis)
    row = row_for(theme)
    assert row.open_gaps == 1 and row.open_gaps_unattended
    assert coverage.open_gaps_nobody_is_on(row) == 1
    assert "Nobody recorded on them" in client.get(URL).content.decode()

    researched = factories.ThemeFactory()
    factories.KnowledgeGapFactory(
        theme=researched, analysis=analysis, status=KnowledgeGap.Status.BEING_RESEARCHED
    )
    row = row_for(researched)
    assert row.being_researched == 1 and not row.open_gaps_unattended

    # Someone active on the theme is not someone on the gap: only a person recorded on
    # the gap itself, who agreed to be shown, takes it off the list.
    staffed = factories.ThemeFactory()
    gap = factories.KnowledgeGapFactory(theme=staffed, analysis=analysis)
    busy = factories.ReportFactory(themes=[staffed], published_on=recent())
    busy.authors.add(factories.PersonFactory())
    assert row_for(staffed).open_gaps_unattended
    worker = GapContributor.objects.create(gap=gap, person=factories.PersonFactory())
    assert row_for(staffed).open_gaps_unattended
    worker.is_shown = True
    worker.save()
    assert not row_for(staffed).open_gaps_unattended


def test_being_researched_is_not_recorded_where_no_open_gap_has_a_status(theme):
    analysis = factories.GapAnalysisFactory()
    factories.KnowledgeGapFactory(
        theme=theme, analysis=analysis, status=KnowledgeGap.Status.NOT_RECORDED
    )
    assert row_for(theme).being_researched is None
    assert row_for(theme).csv_values()[3] == "not recorded"


def test_a_gap_without_a_theme_counts_under_its_analysis_themes(theme):
    analysis = factories.GapAnalysisFactory()
    analysis.themes.add(theme)
    factories.KnowledgeGapFactory(analysis=analysis, theme=None)
    assert row_for(theme).open_gaps == 1


def test_page_shows_a_table_first_then_an_svg_heat_map_with_a_text_alternative(client, theme):
    factories.KnowledgeGapFactory(theme=theme)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("<table") < page.index("<svg")
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert f"{theme.short_name}: organisations active 0" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_csv_download_has_the_same_figures_and_no_drafts(client, theme):
    factories.ThemeFactory(short_name="Hidden theme", status="draft")
    factories.KnowledgeGapFactory(theme=theme)
    response = client.get(reverse("impact:coverage-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Theme" and len(rows[0]) == 8
    by_theme = {row[0]: row for row in rows[1:]}
    assert "Hidden theme" not in by_theme
    assert by_theme[theme.short_name][3] == "1"
    assert by_theme[theme.short_name][7] == "yes"


def test_query_count_does_not_grow_with_rows(client, theme, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            each = factories.ThemeFactory()
            report = factories.ReportFactory(themes=[each], published_on=recent())
            report.authors.add(factories.PersonFactory())
            report.organisations.add(factories.OrganisationFactory())
            factories.KnowledgeGapFactory(theme=each)
            factories.RecommendationFactory(report=report, status="in_progress")
            factories.RoleFactory(theme=each)

    fill(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(URL).status_code == 200
    fill(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200
