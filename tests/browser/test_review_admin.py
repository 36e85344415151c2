"""The review pages an editor works through are accessible: axe-core finds nothing.

An editor signs in, sees on the admin home what waits, opens a curator's waiting
change, reads it field by field and applies it by keyboard; the lists of waiting
changes and of workflow moves are checked too. The change forms curators work in are
checked as an editor and as a curator sees them (a public item's rows read only), with
a row added: Django's autocomplete boxes get their labels' names from
static/js/admin-accessibility.js, the schedule's date and time boxes theirs from the
admin.
"""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from collaboration.models import Person, Role
from publishing.curators import CURATORS_GROUP, EDITORS_GROUP
from publishing.models import PendingChange
from publishing.pending import pending_change_propose
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report
from tests import factories
from tests.browser.axe import assert_no_axe_violations

PASSWORD = "correct horse battery staple"


def widgets_built(page):
    """Wait until every autocomplete select has its select2 box, as a curator sees it."""
    shown = "select.admin-autocomplete:not([name*=__prefix__])"  # not the new row's template
    expect(page.locator(f"{shown} + .select2")).to_have_count(page.locator(shown).count())


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


def test_the_change_forms_curators_and_editors_use_are_accessible(page):
    for username, group in (("eddie", EDITORS_GROUP), ("cora", CURATORS_GROUP)):
        user = factories.UserFactory(username=username, is_staff=True, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    report = Report.objects.published().filter(recommendations__isnull=False).first()
    forms = [
        f"/admin/reports/report/{report.pk}/change/",
        "/admin/reports/report/add/",
        f"/admin/reports/recommendation/{report.recommendations.first().pk}/change/",
        f"/admin/reports/gapanalysis/{GapAnalysis.objects.first().pk}/change/",
        f"/admin/reports/knowledgegap/{KnowledgeGap.objects.first().pk}/change/",
        f"/admin/collaboration/person/{Person.objects.first().pk}/change/",
        f"/admin/collaboration/role/{Role.objects.first().pk}/change/",
    ]
    assert Recommendation.objects.filter(report=report).exists()
    for username in ("eddie", "cora"):
        page.context.clear_cookies()
        sign_in(page, username)
        for address in forms:
            page.goto(address)
            widgets_built(page)
            assert_no_axe_violations(page)
    # A row added on the page gets its names too.
    page.goto("/admin/reports/report/add/")
    page.get_by_role("button", name="Add another Recommendation").click()
    assert page.locator("#recommendations-0 .select2").count() == 2
    assert_no_axe_violations(page)
