import datetime

import pytest

from collaboration.models import Status
from empac.pagination import LargeListPaginator
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(theme):
    other = factories.ThemeFactory()
    made = []
    for n in range(47):
        made.append(
            factories.ReportFactory(
                # Some share a date and a few are undated, to test the order's tie-breaks.
                published_on=None if n % 10 == 0 else datetime.date(2020, 1, 1 + n % 7),
                themes=[theme] if n % 3 else [other],
                status=Status.DRAFT if n == 5 else Status.PUBLISHED,
            )
        )
    return made


def paginate(queryset, key, per_page=10, orphans=0):
    return LargeListPaginator(queryset, per_page, orphans=orphans, count_key=key)


def test_pages_hold_the_whole_list_in_order_once_each(reports):
    ordered = Report.objects.published().newest_first()
    paginator = paginate(ordered.prefetch_related("themes"), "all")

    pages = [list(paginator.page(n)) for n in paginator.page_range]

    assert [r.pk for page in pages for r in page] == [r.pk for r in ordered]
    assert [len(page) for page in pages] == [10, 10, 10, 10, 6]
    assert paginator.count == 46


def test_a_filtered_list_pages_just_its_own_rows(reports, theme):
    in_theme = Report.objects.published().for_theme(theme).newest_first()
    paginator = paginate(in_theme, f"theme:{theme.pk}", per_page=7, orphans=3)

    pages = [list(paginator.page(n)) for n in paginator.page_range]

    assert [r.pk for page in pages for r in page] == [r.pk for r in in_theme]
    assert len(pages[-1]) <= 7 + 3


def test_a_deep_page_takes_the_same_few_queries_as_the_first(
    reports, django_assert_max_num_queries
):
    paginator = paginate(Report.objects.published().newest_first(), "all")
    paginator.count  # noqa: B018 - counted once, then kept for the content version

    for number in (1, paginator.num_pages):
        with django_assert_max_num_queries(3):
            list(paginator.page(number))


def test_the_count_follows_content_changes(reports):
    assert paginate(Report.objects.published(), "all").count == 46

    factories.ReportFactory()

    assert paginate(Report.objects.published(), "all").count == 47
