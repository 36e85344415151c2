"""The report change page fits a 1280 px screen: recommendations inline included."""

from django.contrib.auth.models import Group

from publishing.curators import CURATORS_GROUP
from reports.models import Report
from tests import factories

PASSWORD = "correct horse battery staple"


def sign_in(page):
    curator = factories.UserFactory(username="rhea", is_staff=True, password=PASSWORD)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("rhea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def overflow(page) -> dict:
    return page.evaluate(
        """() => {
          const doc = document.documentElement;
          const wide = [...document.querySelectorAll('.inline-group, fieldset, table')]
            .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 1)
            .map(el => (el.id || el.className || el.tagName) + '@' +
                       (el.closest('[id]') || {}).id + ':' +
                       Math.round(el.getBoundingClientRect().right));
          return {scroll: doc.scrollWidth, client: doc.clientWidth, wide};
        }"""
    )


def test_the_report_form_with_recommendations_fits_1280_px(page, live_site):
    report = (
        Report.objects.filter(recommendations__isnull=False).distinct().first()
        or factories.ReportFactory()
    )
    factories.RecommendationFactory(
        report=report,
        number=99,
        heading="A long recommendation heading that a curator might well write in full " * 2,
        explanation="An explanation running to several sentences. " * 20,
    )
    sign_in(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/admin/reports/report/{report.pk}/change/")
    page.locator("#recommendations-group").wait_for()
    measured = overflow(page)
    page.screenshot(path="/tmp/report-admin-1280.png", full_page=False)
    assert measured["scroll"] <= measured["client"], measured
    assert not measured["wide"], measured
