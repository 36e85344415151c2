import datetime

import pytest

from publishing.models import Status
from publishing.pagination import LargeListPaginator
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
    return LargeListPaginator(queryset, per_page, orphans=orphans, list_key=key)


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


def test_once_the_order_is_known_any_page_is_one_query(reports, django_assert_num_queries):
    paginate(Report.objects.published().newest_first(), "all").count  # noqa: B018

    for number in (1, 5):
        paginator = paginate(Report.objects.published().newest_first(), "all")
        # The rows, and the content version (which a request has read already).
        with django_assert_num_queries(2):
            list(paginator.page(number))


def test_the_count_follows_content_changes(reports):
    assert paginate(Report.objects.published(), "all").count == 46

    factories.ReportFactory()

    assert paginate(Report.objects.published(), "all").count == 47
