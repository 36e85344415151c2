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
    assert row.people == 1 and [p.name for p in row.named["people"]] == [author.display_name]
    assert row.open_gaps == 1
    assert row.in_progress == 1
    assert row.organisations == 1
    assert [o.url for o in row.named["organisations"]] == [author.organisation.get_absolute_url()]


def test_a_draft_theme_has_no_row(theme):
    hidden = factories.ThemeFactory(status="draft")
    themes = [row.theme for row in coverage.compute().rows]
    assert theme in themes and hidden not in themes


def test_people_on_a_theme_by_a_confirmed_current_role_but_not_an_unconfirmed_one(theme, curator):
    lead = factories.PersonFactory(name="Confirmed Lead")
    confirmed = factories.RoleFactory(theme=theme, kind="theme_lead", person=lead)
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
    assert [p.name for p in row_for(theme).named["people"]] == [lead.display_name]


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


def test_a_cell_names_the_first_few_by_name_and_counts_the_rest(client, theme):
    report = factories.ReportFactory(themes=[theme], published_on=recent())
    authors = [factories.PersonFactory(name=f"Author {n}") for n in range(coverage.NAMES_SHOWN + 2)]
    report.authors.add(*authors, factories.PersonFactory(name="Draft Author", status="draft"))

    page = client.get(URL).content.decode()

    last_shown = coverage.NAMES_SHOWN - 1
    assert f'{authors[0].get_absolute_url()}">{authors[0].display_name}</a>' in page
    assert f">{authors[last_shown].display_name}</a> and 2 more" in page
    assert f">{authors[last_shown + 1].display_name}<" not in page
    assert "Draft Author" not in page
    assert f"{theme.short_name}: organisations active {len(authors)}, people active" in page


def test_the_kept_table_follows_publishing_relinking_unpublishing_and_deleting(client, theme):
    report = factories.ReportFactory(themes=[theme], published_on=recent())
    author = factories.PersonFactory(name="Named Author", status="draft")
    report.authors.add(author, factories.PersonFactory(name="Public Author"))
    draft = factories.ReportFactory(themes=[theme], published_on=recent(), status="draft")
    draft.authors.add(factories.PersonFactory(name="Author of a draft"))

    def shown() -> bool:
        page = client.get(URL).content.decode()
        assert "Public Author" in page and "Author of a draft" not in page
        return "Named Author" in page

    assert not shown()
    author.status = "published"
    author.save()
    assert shown()
    report.authors.remove(author)
    assert not shown()
    report.authors.add(author)
    assert shown()
    report.status = "draft"
    report.save()
    page = client.get(URL).content.decode()
    assert "Named Author" not in page and "Public Author" not in page
    report.status = "published"
    report.save()
    assert shown()
    author.delete()
    assert not shown()
