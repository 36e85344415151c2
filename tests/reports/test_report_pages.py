import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from publishing.models import Status
from reports.models import RELATED_REPORTS_LIMIT, Report
from tests import factories
from tests.catalogue import LARGE, SMALL, assert_query_counts_flat, grow_catalogue
from tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db

REPORTS = reverse("reports:report-list")


def titles(response):
    return [report["title"] for report in response.context["reports"]]


# The index: published reports, newest first, counted.


def test_index_lists_published_reports_newest_first_and_omits_drafts(client, theme):
    older = factories.ReportFactory(title="Older", published_on=datetime.date(2019, 12, 1))
    newer = factories.ReportFactory(title="Newer", published_on=datetime.date(2021, 2, 1))
    factories.ReportFactory(title="Secret draft", status=Status.DRAFT)

    response = client.get(REPORTS)

    assert titles(response) == [newer.title, older.title]
    assertContains(response, "2 reports")
    assertNotContains(response, "Secret draft")


def test_index_names_each_reports_published_themes_in_theme_order(client):
    first = factories.ThemeFactory(position=1, short_name="First theme")
    second = factories.ThemeFactory(position=2, short_name="Second theme")
    hidden = factories.ThemeFactory(position=3, short_name="Draft theme", status=Status.DRAFT)
    factories.ReportFactory(title="Both", themes=[second, hidden, first])
    factories.ReportFactory(title="One", themes=[second])

    items = client.get(REPORTS).content.decode().split('class="empac-item"')[1:]

    assert "First theme, Second theme" in next(i for i in items if "Both" in i)
    assert "Second theme" in next(i for i in items if ">One<" in i)
    assert "First theme" not in next(i for i in items if ">One<" in i)
    assert "Draft theme" not in "".join(items)


def test_a_report_without_a_date_comes_last(client):
    factories.ReportFactory(title="Undated", published_on=None)
    factories.ReportFactory(title="Dated", published_on=datetime.date(2015, 12, 2))

    assert titles(client.get(REPORTS)) == ["Dated", "Undated"]


# Filters: each one, combined, and shareable as a plain URL.


@pytest.fixture
def filterable(db):
    """Four reports spread over two themes, two years, two kinds, two tags, two organisations."""
    intelligence = factories.ThemeFactory(slug="intelligence", short_name="Intelligence")
    resilience = factories.ThemeFactory(slug="resilience", short_name="Resilience")
    dmu = factories.OrganisationFactory(slug="dmu", name="De Montfort University")
    emsou = factories.OrganisationFactory(slug="emsou", name="EMSOU")
    rows = [
        ("A", intelligence, 2020, Report.Kind.PROGRESS, "red teaming", dmu),
        ("B", intelligence, 2021, Report.Kind.PROGRESS, "county lines", emsou),
        ("C", resilience, 2020, Report.Kind.INTERIM, "county lines", dmu),
        ("D", resilience, 2020, Report.Kind.PROGRESS, "county lines", emsou),
    ]
    for title, theme, year, kind, tag, organisation in rows:
        report = factories.ReportFactory(
            title=title,
            kind=kind,
            published_on=datetime.date(year, 6, ord(title) - 60),
            themes=[theme],
            tags=[tag],
        )
        report.organisations.add(organisation)
    return rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=intelligence", ["B", "A"]),
        ("kind=interim", ["C"]),
        ("year=2020", ["D", "C", "A"]),
        ("tag=county-lines", ["B", "D", "C"]),
        ("organisation=dmu", ["C", "A"]),
        ("theme=resilience&year=2020&kind=progress", ["D"]),
        ("theme=intelligence&tag=county-lines&organisation=emsou", ["B"]),
        ("theme=intelligence&year=2020&organisation=emsou", []),
    ],
)
def test_filters_narrow_the_list_and_combine(client, filterable, query, expected):
    response = client.get(f"{REPORTS}?{query}")

    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["paginator"].count == len(expected)
    count = f"{len(expected)} report{'s' if len(expected) != 1 else ''} matching your filters"
    assertContains(response, count)


def test_the_filter_form_shows_the_choices_in_use(client, filterable):
    response = client.get(f"{REPORTS}?theme=resilience&year=2020")

    assertContains(response, '<option value="resilience" selected>Resilience</option>', html=True)
    assertContains(response, '<option value="2020" selected>2020</option>', html=True)
    assertContains(response, '<label class="govuk-label govuk-label--s" for="id_year">Year</label>')


def test_tags_of_draft_reports_are_not_offered_as_filters(client, filterable):
    factories.ReportFactory(status=Status.DRAFT, tags=["unannounced operation"])

    response = client.get(REPORTS)

    assertContains(response, "county lines")
    assertNotContains(response, "unannounced operation")


def test_the_years_offered_are_those_of_published_reports_newest_first(client, filterable):
    factories.ReportFactory(status=Status.DRAFT, published_on=datetime.date(2019, 3, 1))
    factories.ReportFactory(published_on=datetime.date(2016, 12, 31))
    factories.ReportFactory(published_on=None)

    choices = client.get(REPORTS).context["filter_form"].fields["year"].choices

    assert [value for value, _ in choices] == ["", 2021, 2020, 2016]


def test_a_draft_theme_cannot_be_used_to_filter(client, filterable):
    hidden = factories.ThemeFactory(slug="hidden", status=Status.DRAFT)
    factories.ReportFactory(title="Public report on a hidden theme", themes=[hidden])

    response = client.get(f"{REPORTS}?theme=hidden")

    assertContains(response, "There is no theme with that name")
    assert len(titles(response)) == 5


# Bad input never fails: unknown values are named and ignored.


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "There are no reports from that year"),
        ("year=1850", "There are no reports from that year"),
        ("theme=no-such-theme", "There is no theme with that name"),
        ("kind=poem", "That is not a kind of report"),
        ("tag=%3Cscript%3E", "There is no tag with that name"),
        ("organisation=nobody", "There is no organisation with that name"),
    ],
)
def test_an_unknown_filter_value_is_explained_and_ignored(client, filterable, query, message):
    response = client.get(f"{REPORTS}?{query}")

    assert response.status_code == 200
    assertContains(response, "Some filters were not recognised")
    assertContains(response, message)
    assert len(titles(response)) == 4


def test_a_bad_filter_does_not_stop_the_good_ones(client, filterable):
    response = client.get(f"{REPORTS}?theme=intelligence&year=abc")

    assert titles(response) == ["B", "A"]
    assertContains(response, "There are no reports from that year")


@pytest.mark.parametrize("page", ["999", "x", "0", "-1"])
def test_a_page_number_that_does_not_exist_is_not_found(client, filterable, page):
    assert client.get(f"{REPORTS}?page={page}").status_code == 404


def test_pages_keep_the_filters_in_their_links(client):
    theme = factories.ThemeFactory(slug="busy")
    factories.ReportFactory.create_batch(25, themes=[theme])
    factories.ReportFactory.create_batch(3)

    first = client.get(f"{REPORTS}?theme=busy")
    second = client.get(f"{REPORTS}?theme=busy&page=2")

    assert len(first.context["reports"]) == 20
    assertContains(first, 'href="?theme=busy&amp;page=2"')
    assert len(second.context["reports"]) == 5
    assertContains(second, "25 reports matching your filters")


# The report page.


@pytest.fixture
def full_report(db, theme):
    report = factories.ReportFactory(
        title="Organisational adaptability",
        kind=Report.Kind.PROGRESS,
        published_on=datetime.date(2020, 12, 1),
        date_precision=Report.DatePrecision.MONTH,
        summary="What the report found.",
        body="First paragraph.\n\nSecond paragraph.",
        provenance="One news post dates it differently.",
        source_url="https://example.org/original.pdf",
        themes=[theme],
        tags=["red teaming"],
    )
    report.authors.add(factories.PersonFactory(name="Dave Walsh", honorific="Professor"))
    report.organisations.add(factories.OrganisationFactory(name="De Montfort University"))
    factories.RecommendationFactory(report=report, number=1, heading="Try red teaming.")
    factories.AlignmentRowFactory(report=report, approach="Place based evaluations")
    return report


def test_report_page_shows_the_report(client, full_report, theme):
    response = client.get(full_report.get_absolute_url())

    assertContains(response, "<h1", count=1)
    for text in [
        "Organisational adaptability",
        "December 2020",
        "Progress report",
        theme.short_name,
        "red teaming",
        "What the report found.",
        "<p>Second paragraph.</p>",
        "Try red teaming.",
        "One news post dates it differently.",
        "Professor Dave Walsh",
        "De Montfort University",
    ]:
        assertContains(response, text)
    assertNotContains(response, "1 December 2020")


def test_alignment_table_is_a_data_table(client, full_report):
    response = client.get(full_report.get_absolute_url())

    assertContains(response, "Alignment of effort and evidence opportunities</caption>")
    assertContains(response, '<th scope="col" class="govuk-table__header">Approach</th>')
    assertContains(response, 'scope="row"')
    assertContains(response, "Place based evaluations</th>")


def test_report_without_a_file_links_to_its_original_source(client, full_report):
    response = client.get(full_report.get_absolute_url())

    assertContains(response, 'href="https://example.org/original.pdf"')


def test_report_with_a_pdf_links_to_it_with_its_size(client, full_report):
    content = pdf_with_text("Organisational adaptability", "Red teaming")
    full_report.pdf = SimpleUploadedFile("adaptability.pdf", content)
    full_report.save()

    response = client.get(full_report.get_absolute_url())

    assertContains(response, f'href="{full_report.get_pdf_url()}"')
    assertContains(response, f"(PDF, {filesizeformat(len(content))})")
    assertNotContains(response, 'href="https://example.org/original.pdf"')


def test_draft_report_is_not_found(client, draft_report):
    assert client.get(draft_report.get_absolute_url()).status_code == 404


def test_report_page_leaves_out_draft_people_organisations_and_themes(client, full_report):
    full_report.authors.add(factories.PersonFactory(name="Unpublished Person", status="draft"))
    full_report.organisations.add(
        factories.OrganisationFactory(name="Unpublished Org", status="draft")
    )
    full_report.themes.add(factories.ThemeFactory(short_name="Unpublished Theme", status="draft"))

    response = client.get(full_report.get_absolute_url())

    for hidden in ["Unpublished Person", "Unpublished Org", "Unpublished Theme"]:
        assertNotContains(response, hidden)


def test_related_reports_share_a_theme_or_tag_are_published_and_bounded(client, full_report, theme):
    by_theme = factories.ReportFactory.create_batch(7, themes=[theme])
    by_tag = factories.ReportFactory(title="Same tag", tags=["Red Teaming"])
    factories.ReportFactory(title="Unrelated")
    factories.ReportFactory(title="Draft sibling", status=Status.DRAFT, themes=[theme])

    related = client.get(full_report.get_absolute_url()).context["related_reports"]

    assert len(related) == RELATED_REPORTS_LIMIT
    assert {report["pk"] for report in related} <= {report.pk for report in [*by_theme, by_tag]}


def test_report_page_shows_the_reports_it_lists_and_where_it_is_listed(client, full_report):
    listed = factories.ReportFactory(title="Interim report December 2019")
    hidden = factories.ReportFactory(title="Listed draft", status=Status.DRAFT)
    news = factories.ReportFactory(title="Working together", kind=Report.Kind.NEWS)
    full_report.listed_reports.add(listed, hidden)
    news.listed_reports.add(full_report)

    response = client.get(full_report.get_absolute_url())

    assert [report["pk"] for report in response.context["listed_reports"]] == [listed.pk]
    assert [report["pk"] for report in response.context["listed_in"]] == [news.pk]
    assertNotContains(response, "Listed draft")


def test_report_page_shows_each_part_once_the_report_has_one_and_only_what_is_public(
    client, published_report
):
    url = published_report.get_absolute_url()
    headings = [
        "Alignment of effort and evidence opportunities",
        '<h2 class="govuk-heading-l">Recommendations</h2>',
        "Knowledge gaps raised here",
        "Gap analyses from this report",
        '<h2 class="govuk-heading-m">People</h2>',
    ]
    for heading in headings:
        assertNotContains(client.get(url), heading)
    # Rows that are not public: the report has some, and the page still shows none.
    factories.GapAnalysisFactory(report=published_report, title="Draft analysis", status="draft")
    draft = factories.PersonFactory(name="Draft Researcher", status=Status.DRAFT)
    factories.RoleFactory(person=draft, latest_source=published_report)
    factories.KnowledgeGapFactory(
        report=published_report, analysis=None, question="Uncleared?", cleared_at=None
    )
    page = client.get(url)
    for heading in headings[2:]:
        assertNotContains(page, heading)

    factories.AlignmentRowFactory(report=published_report, approach="Joint tasking")
    factories.RecommendationFactory(report=published_report, heading="Share the data.")
    factories.KnowledgeGapFactory(report=published_report, analysis=None, question="Who knows?")
    factories.GapAnalysisFactory(report=published_report, title="Public analysis")
    person = factories.PersonFactory(name="Named Researcher")
    factories.RoleFactory(person=person, latest_source=published_report, title="Researcher")

    page = client.get(url)
    for heading in headings:
        assertContains(page, heading)
    for shown in ["Joint tasking", "Share the data.", "Who knows?", "Public analysis", person.name]:
        assertContains(page, shown)
    for hidden in ["Draft analysis", "Draft Researcher", "Uncleared?"]:
        assertNotContains(page, hidden)


# Query counts do not grow with the amount of content.


def test_report_pages_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    reports = grow_catalogue(SMALL)
    filters = f"?theme={reports[0].themes.first().slug}&year=2020&tag=topic-0"
    pages = [REPORTS, REPORTS + filters, REPORTS + "?year=abc", reports[-1].get_absolute_url()]

    # The report page: related reports as the newest few and their links (two queries,
    # bounded however many reports there are), listed reports by key; once per content
    # version, the notes of unconfirmed inferences (publishing.provenance).
    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=19, grow=lambda: grow_catalogue(LARGE)
    )
