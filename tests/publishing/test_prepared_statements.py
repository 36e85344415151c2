"""A deep page's rows come from statements PostgreSQL prepared once per connection
(publishing.rows.execute_prepared): what must hold is that they answer exactly as the
plain query would, by the public rule as it is when they run."""

import datetime

import pytest
from django.db import OperationalError, connection

from publishing.models import Status
from publishing.rows import rows_by_key
from reports.models import Recommendation
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE"),
]

FIELDS = ("id", "number", "heading", "report__title")


def ours() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'empac_%%'")
        return {name for (name,) in cursor.fetchall()}


def public_rows(keys):
    return sorted(rows_by_key("test-prepared", Recommendation.objects.published, keys, FIELDS))


def orm_rows(keys):
    found = Recommendation.objects.published().filter(pk__in=keys).values_list(*FIELDS)
    return sorted(found)


@pytest.fixture
def recommendations(theme):
    shown = factories.ReportFactory(title="Shown", themes=[theme])
    draft = factories.ReportFactory(title="Draft", status=Status.DRAFT, themes=[theme])
    return [
        factories.RecommendationFactory(report=shown, number=1),
        factories.RecommendationFactory(report=shown, number=2),
        factories.RecommendationFactory(report=draft, number=1),
    ]


@pytest.mark.django_db
def test_the_rows_are_the_public_rule_s_and_the_statement_is_prepared_once(recommendations):
    keys = [recommendation.pk for recommendation in recommendations]
    before = ours()
    first = public_rows(keys)
    prepared = ours() - before
    assert len(prepared) == 1
    assert first == orm_rows(keys)
    assert [row[3] for row in first] == ["Shown", "Shown"]  # the draft report's is not there

    # Run again, and after a change to what is public: the same statement answers, by
    # the rule as it is now.
    assert public_rows(keys) == first
    report = recommendations[0].report
    report.status = Status.WITHDRAWN
    report.save()
    assert public_rows(keys) == orm_rows(keys) == []
    other = recommendations[2].report
    other.status = Status.PUBLISHED
    other.save()
    assert [row[3] for row in public_rows(keys)] == ["Draft"]
    assert ours() - before == prepared


@pytest.mark.django_db
def test_a_scheduled_report_appears_at_its_go_live_time(recommendations, settings):
    now = datetime.datetime(2031, 1, 1, 9, 0, tzinfo=datetime.UTC)
    settings.EMPAC_CLOCK = now
    report = recommendations[0].report
    report.go_live_at = now + datetime.timedelta(hours=1)
    report.save()
    keys = [recommendation.pk for recommendation in recommendations[:2]]
    assert public_rows(keys) == []
    settings.EMPAC_CLOCK = now + datetime.timedelta(hours=2)
    assert len(public_rows(keys)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_statement_dropped_behind_its_back_is_prepared_again(recommendations):
    keys = [recommendation.pk for recommendation in recommendations]
    expected = public_rows(keys)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler resetting the connection would
    assert public_rows(keys) == expected
    assert public_rows(keys) == expected
    assert ours()


@pytest.mark.django_db
def test_off_the_rows_come_from_the_plain_query(recommendations, settings):
    settings.EMPAC_PG_PREPARED_STATEMENTS = False
    keys = [recommendation.pk for recommendation in recommendations]
    before = ours()
    assert public_rows(keys) == orm_rows(keys)
    assert ours() == before


@pytest.mark.django_db(transaction=True)
def test_a_query_that_fails_otherwise_is_not_run_again(recommendations):
    """A timeout (or any error but a statement gone) reaches the caller, run once."""
    keys = [recommendation.pk for recommendation in recommendations]
    public_rows(keys)  # prepared
    seen = []

    def time_out(execute, sql, params, many, context):
        seen.append(sql)
        if sql.startswith("EXECUTE"):
            context["cursor"].execute("SET statement_timeout = 20")
            try:
                return execute("SELECT pg_sleep(1)", None, many, context)
            finally:
                context["cursor"].execute("SET statement_timeout = 0")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(time_out), pytest.raises(OperationalError):
        public_rows(keys)
    assert len([sql for sql in seen if sql.startswith("EXECUTE")]) == 1
    again = ("DEALLOCATE", 'SELECT "reports_recommendation"')
    assert not any(sql.startswith(again) for sql in seen)
    assert public_rows(keys) == orm_rows(keys)
