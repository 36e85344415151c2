"""Scheduled publishing: go-live and expiry by the clock, with the page cache on.

The clock is the ``EMPAC_CLOCK`` setting (publishing/clock.py), never a sleep. A
scheduled report appears on the first request after its time and an expired one
disappears, with no job run, and no page is served from the cache past either.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from publishing.models import Status
from publishing.versioning import content_now
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOON = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def clock(settings):
    class Clock:
        def set(self, moment):
            settings.EMPAC_CLOCK = moment

    clock = Clock()
    clock.set(NOON)
    return clock


def listed(client, title) -> bool:
    response = client.get(reverse("reports:report-list"))
    assert response.status_code == 200
    return title in response.content.decode()


def test_a_scheduled_report_goes_live_on_its_time_through_the_page_cache(client, clock):
    report = factories.ReportFactory(
        title="Scheduled findings", go_live_at=NOON + datetime.timedelta(hours=1)
    )
    factories.ReportFactory(title="Already public")

    assert listed(client, "Already public") and not listed(client, "Scheduled findings")
    # The second request comes from the page cache: proof the cache is on.
    response = client.get(reverse("reports:report-list"))
    assert response["X-Page-Cache"] == "hit"
    assert client.get(report.get_absolute_url()).status_code == 404

    clock.set(NOON + datetime.timedelta(minutes=59, seconds=59))
    assert not listed(client, "Scheduled findings")

    clock.set(NOON + datetime.timedelta(hours=1))
    response = client.get(reverse("reports:report-list"))
    assert response["X-Page-Cache"] == "miss"
    assert "Scheduled findings" in response.content.decode()
    assert client.get(report.get_absolute_url()).status_code == 200
    assert Report.objects.published().filter(pk=report.pk).exists()


def test_an_expired_report_leaves_on_its_time_through_the_page_cache(client, clock):
    report = factories.ReportFactory(
        title="Dated notice", expires_at=NOON + datetime.timedelta(days=1)
    )
    assert listed(client, "Dated notice")
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(report.get_absolute_url())["X-Page-Cache"] == "hit"

    clock.set(NOON + datetime.timedelta(days=1))
    assert not listed(client, "Dated notice")
    response = client.get(report.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not Report.objects.published().filter(pk=report.pk).exists()


def test_the_next_change_is_the_soonest_of_every_kind_and_each_is_honoured(client, clock):
    factories.ThemeFactory(short_name="Later theme", go_live_at=NOON + datetime.timedelta(hours=3))
    report = factories.ReportFactory(
        title="Sooner report", go_live_at=NOON + datetime.timedelta(hours=2)
    )
    before = content_now()
    clock.set(NOON + datetime.timedelta(hours=2))
    after_report = content_now()
    assert after_report != before
    assert client.get(report.get_absolute_url()).status_code == 200
    # The theme's time is still ahead: the version stays until it comes.
    clock.set(NOON + datetime.timedelta(hours=2, minutes=30))
    assert content_now() == after_report
    clock.set(NOON + datetime.timedelta(hours=3))
    assert content_now() != after_report
    page = client.get(reverse("browse:theme-list")).content.decode()
    assert "Later theme" in page


def test_a_draft_with_a_past_go_live_time_stays_off_and_publishing_it_shows_it_at_once(
    client, clock, editor_client
):
    report = factories.ReportFactory(
        status=Status.DRAFT, title="Late one", go_live_at=NOON - datetime.timedelta(days=1)
    )
    assert not Report.objects.published().filter(pk=report.pk).exists()
    editor_client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "publish", "index": "0", "_selected_action": [report.pk]},
    )
    client.logout()
    assert listed(client, "Late one")


def test_a_scheduled_report_is_found_by_search_once_live(client, clock):
    factories.ReportFactory(
        title="Cuckooing findings", go_live_at=NOON + datetime.timedelta(minutes=5)
    )

    def found() -> bool:
        page = client.get(reverse("search:results"), {"q": "cuckooing"}).content.decode()
        return "1 result for “cuckooing”" in page

    assert not found()
    clock.set(NOON + datetime.timedelta(minutes=5))
    assert found()


def change_form(report, **changes):
    data = {
        "title": report.title,
        "slug": report.slug,
        "kind": report.kind,
        "status": report.status,
        "published_on": report.published_on.isoformat(),
        "date_precision": report.date_precision,
        "summary": report.summary,
        "body": report.body,
        "recommendations-TOTAL_FORMS": 0,
        "recommendations-INITIAL_FORMS": 0,
        "alignment_rows-TOTAL_FORMS": 0,
        "alignment_rows-INITIAL_FORMS": 0,
        "publishing-provenance-content_type-object_id-TOTAL_FORMS": 0,
        "publishing-provenance-content_type-object_id-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_times_are_entered_in_uk_time_and_stored_in_utc(editor_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    url = reverse("admin:reports_report_change", args=[report.pk])
    response = editor_client.post(
        url,
        change_form(
            report,
            status=Status.PUBLISHED,
            go_live_at_0="2030-07-01",
            go_live_at_1="09:00:00",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    # 09:00 in London in July is 08:00 UTC (British Summer Time).
    assert report.go_live_at == datetime.datetime(2030, 7, 1, 8, 0, tzinfo=datetime.UTC)
    page = editor_client.get(url).content.decode()
    assert 'value="09:00:00"' in page


def test_an_expiry_before_the_go_live_time_is_a_form_error(editor_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    response = editor_client.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        change_form(
            report,
            go_live_at_0="2030-07-02",
            go_live_at_1="09:00:00",
            expires_at_0="2030-07-01",
            expires_at_1="09:00:00",
        ),
    )
    assert response.status_code == 200
    assert "The expiry must come after the go-live time." in response.content.decode()
    report.refresh_from_db()
    assert report.go_live_at is None


def test_a_curator_cannot_set_the_schedule(curator_client):
    report = factories.ReportFactory(status=Status.PUBLISHED)
    response = curator_client.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        change_form(report, expires_at_0="2020-01-01", expires_at_1="09:00:00"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.expires_at is None
    assert Report.objects.published().filter(pk=report.pk).exists()
