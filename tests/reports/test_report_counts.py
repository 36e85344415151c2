"""The kept counts of published reports per theme (reports.counts) never drift.

Each test changes reports the way a curator or a command can, then checks the kept
count against a count made afresh from `.published()`, and against what the public
pages show.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from browse.views import themes_with_counts
from publishing.models import Status
from reports.models import Report, ThemeReportCount
from tests import factories

pytestmark = pytest.mark.django_db


def kept(theme) -> int:
    return themes_with_counts().get(pk=theme.pk).report_count


def counted(theme) -> int:
    return Report.objects.published().filter(themes=theme).count()


def assert_right(*themes) -> None:
    for theme in themes:
        assert kept(theme) == counted(theme), theme


@pytest.fixture
def themes():
    return factories.ThemeFactory(), factories.ThemeFactory()


def test_publishing_and_unpublishing_a_report_changes_its_themes_counts(themes):
    first, second = themes
    report = factories.ReportFactory(themes=[first, second], status=Status.DRAFT)
    assert (kept(first), kept(second)) == (0, 0)

    report.status = Status.PUBLISHED
    report.save()
    assert (kept(first), kept(second)) == (1, 1)

    report.status = Status.DRAFT
    report.save(update_fields=["status"])
    assert (kept(first), kept(second)) == (0, 0)
    assert_right(first, second)


def test_a_report_loaded_afresh_and_published_is_counted(themes):
    first, _ = themes
    factories.ReportFactory(themes=[first], status=Status.DRAFT)
    report = Report.objects.get()

    report.status = Status.PUBLISHED
    report.save()

    assert kept(first) == 1


def test_saving_a_report_without_changing_its_status_keeps_the_count(themes):
    first, _ = themes
    report = factories.ReportFactory(themes=[first])
    report.title = "Renamed"
    report.save()
    assert kept(first) == 1


def test_deleting_reports_lowers_the_counts(themes):
    first, second = themes
    gone = factories.ReportFactory(themes=[first, second])
    factories.ReportFactory(themes=[first])
    assert (kept(first), kept(second)) == (2, 1)

    gone.delete()
    assert (kept(first), kept(second)) == (1, 0)

    Report.objects.all().delete()
    assert (kept(first), kept(second)) == (0, 0)


def test_relinking_from_either_side_moves_the_count(themes):
    first, second = themes
    report = factories.ReportFactory(themes=[first])
    draft = factories.ReportFactory(themes=[first], status=Status.DRAFT)

    report.themes.set([second])  # a remove and an add
    assert (kept(first), kept(second)) == (0, 1)

    report.themes.add(first)
    assert (kept(first), kept(second)) == (1, 1)

    report.themes.clear()
    assert (kept(first), kept(second)) == (0, 0)

    first.reports.add(report, draft)  # from the theme's side; the draft is not counted
    assert kept(first) == 1
    first.reports.remove(report)
    assert kept(first) == 0
    second.reports.add(report)
    second.reports.clear()
    assert kept(second) == 0
    assert_right(first, second)


def test_a_new_theme_starts_at_nothing_and_counts_are_per_theme(themes):
    first, _ = themes
    factories.ReportFactory(themes=[first])
    newcomer = factories.ThemeFactory()
    assert kept(newcomer) == 0
    assert kept(first) == 1


def test_bulk_writes_are_counted_by_generate_demo_data_and_recount_reports(themes):
    first, _ = themes
    call_command("generate_demo_data", reports=40, seed=3)
    assert_right(*themes_with_counts())

    # A write that sends no signal puts a count wrong until the recount.
    Report.objects.filter(themes=first).update(status=Status.PUBLISHED)
    ThemeReportCount.objects.update(count=999)
    call_command("recount_reports")
    assert_right(*themes_with_counts())


def test_the_public_pages_show_the_kept_counts(client, themes):
    first, _ = themes
    factories.ReportFactory.create_batch(2, themes=[first])
    factories.ReportFactory(themes=[first], status=Status.DRAFT)

    response = client.get(reverse("browse:theme-list"))
    assert {t.pk: t.report_count for t in response.context["themes"]}[first.pk] == 2
    api = client.get(reverse("api:theme-list")).json()["results"]
    assert {t["slug"]: t["report_count"] for t in api}[first.slug] == 2


def test_counts_follow_the_schedule_and_its_changes(themes, settings, client):
    """A report that goes live or expires by the clock is counted then, and a change of
    schedule alone (no change of state) is counted at once."""
    import datetime

    from django.utils import timezone

    from publishing.versioning import current_content_version

    first, _ = themes
    noon = timezone.now().replace(microsecond=0)
    settings.EMPAC_CLOCK = noon
    report = factories.ReportFactory(themes=[first], status=Status.PUBLISHED)
    report.go_live_at = noon + datetime.timedelta(hours=1)
    report.save()
    assert kept(first) == 0
    assert_right(first)

    settings.EMPAC_CLOCK = noon + datetime.timedelta(hours=1)
    current_content_version()  # the first request after the time passes notices it
    assert kept(first) == 1
    assert_right(first)

    report.expires_at = noon + datetime.timedelta(hours=2)
    report.save()
    assert kept(first) == 1
    settings.EMPAC_CLOCK = noon + datetime.timedelta(hours=2, seconds=1)
    client.get("/")
    assert kept(first) == 0
    assert_right(first)
