"""The review pages an editor works through are accessible: axe-core finds nothing.

An editor signs in, sees on the admin home what waits, opens a curator's waiting
change, reads it field by field and applies it by keyboard; the lists of waiting
changes and of workflow moves are checked too. (Django's own change forms are not
checked here: their autocomplete boxes and tabular inline headings are Django's.)
"""

from django.contrib.auth.models import Group

from publishing.curators import CURATORS_GROUP, EDITORS_GROUP
from publishing.models import PendingChange
from publishing.pending import pending_change_propose
from reports.models import Report
from tests import factories
from tests.browser.axe import assert_no_axe_violations

PASSWORD = "correct horse battery staple"


def sign_in(page, username):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_editor_reviews_and_applies_a_waiting_change_on_accessible_pages(page):
    curator = factories.UserFactory(username="cora", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    editor = factories.UserFactory(username="eddie", is_staff=True, password=PASSWORD)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    report = Report.objects.published().first()
    pending_change_propose(
        obj=report,
        cleaned_data={"title": f"{report.title} (revised)"},
        by=curator,
        note="Clearer title",
    )

    sign_in(page, "eddie")
    assert "Changes waiting for an editor" in page.locator("#content").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=report.title).first.click()
    page.wait_for_url("**/pending-change/")
    assert f"{report.title} (revised)" in page.locator("#content").inner_text()
    assert_no_axe_violations(page)

    page.goto("/admin/publishing/pendingchange/")
    assert_no_axe_violations(page)
    page.goto("/admin/publishing/transition/")
    assert_no_axe_violations(page)

    page.goto(f"/admin/reports/report/{report.pk}/pending-change/")
    apply = page.get_by_role("button", name="Apply")
    apply.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/reports/report/{report.pk}/change/")
    report.refresh_from_db()
    assert report.title.endswith("(revised)")
    assert PendingChange.objects.get().outcome == PendingChange.Outcome.APPLIED
