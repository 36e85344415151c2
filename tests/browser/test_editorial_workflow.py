"""A curator drafts a report, an editor reviews and schedules it, and a reader sees it on time.

The site's clock is the EMPAC_CLOCK setting, which the live server (in this process)
reads on every request: the test moves it past the go-live time instead of waiting.
"""

import datetime
import zoneinfo

from django.contrib.auth.models import Group

from publishing.curators import CURATORS_GROUP, EDITORS_GROUP
from publishing.models import Status, Transition
from reports.models import Report
from tests import factories

PASSWORD = "correct horse battery staple"
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2030, 6, 3, 9, 30, tzinfo=LONDON)
TITLE = "Scheduled cuckooing findings"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_curator_drafts_editor_schedules_reader_sees_it_when_its_time_comes(
    page, context, live_site, settings
):
    settings.EMPAC_CLOCK = NOW
    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    editor = factories.UserFactory(username="eddie", is_staff=True, password=PASSWORD)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    # The curator drafts the report and sends it for review: publishing is not offered.
    sign_in(page, "cora")
    page.goto("/admin/reports/report/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_kind").select_option(label="Progress report")
    page.locator("#id_published_on").fill("2030-06-01")
    page.locator("#id_summary").fill("What the partners found about cuckooing.")
    status = page.locator("#id_status")
    assert status.locator("option").all_inner_texts() == ["Draft", "In review"]
    status.select_option(label="In review")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist .success").inner_text()
    report = Report.objects.get(title=TITLE)
    assert report.status == Status.IN_REVIEW

    # The editor reviews it in preview, clears it for release, and schedules it.
    sign_in(page, "eddie")
    page.goto(report.get_preview_url())
    assert "Preview – not public" in page.locator("body").inner_text()
    assert TITLE in page.locator("h1").inner_text()
    page.goto("/admin/reports/report/")
    page.locator("#result_list tbody tr", has_text=TITLE).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(
        label="Clear selected reports for public release"
    )
    page.get_by_role("button", name="Go").click()
    assert "cleared for public release by you" in page.locator(".messagelist").inner_text()

    page.goto(f"/admin/reports/report/{report.pk}/change/")
    assert "In review" in page.locator("#id_status option:checked").inner_text()
    page.locator("#id_status").select_option(label="Published")
    page.locator("#id_go_live_at_0").fill("2030-06-03")
    page.locator("#id_go_live_at_1").fill("10:00:00")  # UK time, half an hour ahead
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist .success").inner_text()
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    assert report.go_live_at == datetime.datetime(2030, 6, 3, 9, 0, tzinfo=datetime.UTC)
    moves = {(t.from_status, t.to_status, t.by.username) for t in Transition.objects.all()}
    assert moves == {
        ("", Status.IN_REVIEW, "cora"),
        (Status.IN_REVIEW, Status.PUBLISHED, "eddie"),
    }

    # A reader: not there yet, through the page cache…
    reader = context.browser.new_context(base_url=live_site.url)
    try:
        reading = reader.new_page()
        reading.goto("/reports/")
        assert TITLE not in reading.locator("main").inner_text()
        assert reading.goto(report.get_absolute_url()).status == 404

        # …and there on the first request once its time has come.
        settings.EMPAC_CLOCK = NOW + datetime.timedelta(minutes=30)
        reading.goto("/reports/")
        assert TITLE in reading.locator("main").inner_text()
        reading.get_by_role("link", name=TITLE).click()
        assert TITLE in reading.locator("h1").inner_text()
        assert "Preview" not in reading.locator("body").inner_text()
    finally:
        reader.close()
