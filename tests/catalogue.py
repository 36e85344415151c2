"""Published content in bulk, for proving that a page's query count does not grow with rows.

`grow_catalogue(n)` adds n reports, each with themes, tags, authors, organisations,
recommendations and an alignment row, plus people with roles on those themes and a
gap analysis with knowledge gaps. The page tests render a page after a small
catalogue, then again after a large one, and require no more queries the second time.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from collaboration.models import Role, Theme
from tests import factories

SMALL = 3
LARGE = 40


def grow_catalogue(count: int, *, themes=None) -> list:
    themes = themes or list(Theme.objects.published()) or factories.ThemeFactory.create_batch(3)
    organisations = factories.OrganisationFactory.create_batch(2)
    reports = []
    for i in range(count):
        person = factories.PersonFactory(organisation=organisations[i % 2])
        theme = themes[i % len(themes)]
        factories.RoleFactory(
            person=person,
            organisation=organisations[i % 2],
            theme=theme,
            kind=Role.Kind.THEME_LEAD if i % 2 else Role.Kind.RESEARCHER,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2021, 1, 1) if i % 3 == 0 else None,
        )
        report = factories.ReportFactory(
            # Within one year, whatever the factory's sequence has reached: the reports
            # index reads its year choices with a query a year (reports.filters), so a
            # growth that reached into a new year ran one more query after earlier tests.
            published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 365),
            primary_theme=theme,
            themes=[theme, themes[(i + 1) % len(themes)]],
            tags=[f"topic {i % 4}", f"method {i % 3}"],
        )
        report.authors.add(person)
        report.organisations.set(organisations)
        factories.RecommendationFactory.create_batch(2, report=report)
        factories.AlignmentRowFactory(report=report)
        if reports:
            report.listed_reports.add(reports[-1])
        reports.append(report)
    analysis = factories.GapAnalysisFactory(report=reports[0])
    analysis.themes.set(themes[:2])
    factories.ComparisonRowFactory.create_batch(count % 5 + 1, analysis=analysis)
    for i in range(count):
        factories.KnowledgeGapFactory(analysis=analysis, theme=themes[i % len(themes)])
    return reports


def assert_query_counts_flat(client, assert_max_queries, pages, *, budget: int, grow) -> None:
    """Render each page, call grow(), render again: no more queries, and within budget."""
    counts = {url: queries_for(client, url) for url in pages}
    grow()
    for url, count in counts.items():
        assert count <= budget, f"{url} runs {count} queries; the budget is {budget}"
        with assert_max_queries(count):
            assert client.get(url).status_code == 200


def queries_for(client, url: str) -> int:
    """How many queries one anonymous request for the page runs; the page must render."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured)
