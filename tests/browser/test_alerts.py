"""A reader subscribes to a theme's alerts, confirms from the email, and the digest names a
new report; then unsubscribes with one click. By keyboard, at 320 px, axe-clean."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from alerts.models import Subscription
from alerts.services import digests_enqueue
from collaboration.models import Theme
from tests import factories
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import run_background_tasks

PHONE = {"width": 320, "height": 640}
LINK = re.compile(r"https?://[^/\s]+(/alerts/(confirm|unsubscribe)/\S+/)")


def link_in(message, kind):
    return next(m.group(1) for m in LINK.finditer(message.body) if m.group(2) == kind)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_reader_subscribes_confirms_from_the_email_and_the_digest_names_a_new_report(
    page, settings
):
    settings.EMPAC_SITE_URL = "https://empac.example.org"
    theme = Theme.objects.published().order_by("position").first()
    page.set_viewport_size(PHONE)

    # From the theme page, the alerts link opens the form with the theme ticked.
    page.goto(theme.get_absolute_url())
    page.get_by_role("link", name="get them by email").first.click()
    page.wait_for_url("**/alerts/?theme=*")
    assert page.get_by_label(theme.short_name, exact=True).is_checked()
    assert fits(page)
    assert_no_axe_violations(page)

    # By keyboard: a mistake first, then put right.
    page.get_by_label("Email address", exact=True).focus()
    page.keyboard.type("reader.example.org")
    page.get_by_role("button", name="Sign up for alerts").focus()
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert summary.get_by_role("listitem").all_inner_texts() == [
        "Enter an email address in the correct format, like name@example.ac.uk",
        "Confirm that we may store your email address",
    ]
    assert fits(page)
    assert_no_axe_violations(page)

    email = page.get_by_label("Email address", exact=True)
    email.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("reader@example.org")
    page.get_by_label("Daily", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("I agree to EMPAC storing my email address", exact=False).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Sign up for alerts").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/alerts/check-your-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_no_axe_violations(page)

    # Nothing but the confirmation goes out; the reader opens it.
    run_background_tasks()
    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.org"]
    page.goto(link_in(confirmation, "confirm"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm alerts").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Alerts confirmed").wait_for()
    assert theme.short_name in page.locator("main").inner_text()
    assert fits(page)
    assert_no_axe_violations(page)
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None

    # A curator publishes a report on the theme; a day later the digest names it.
    report = factories.ReportFactory(title="Exploitation on county lines", themes=[theme])
    factories.ReportFactory(title="Not yet public", themes=[theme], status="draft")
    mail.outbox.clear()
    digests_enqueue(now=timezone.now() + datetime.timedelta(days=1, minutes=1))
    run_background_tasks()
    [digest] = mail.outbox
    assert "Exploitation on county lines" in digest.body
    assert f"https://empac.example.org{report.get_absolute_url()}" in digest.body
    assert "Not yet public" not in digest.body

    # One click on the unsubscribe page, no sign-in.
    page.goto(link_in(digest, "unsubscribe"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You have unsubscribed").wait_for()
    assert_no_axe_violations(page)
    assert not Subscription.objects.exists()
    # And again: a clear page, not an error.
    page.goto(link_in(digest, "unsubscribe"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are not subscribed").wait_for()


def test_the_contact_page_and_footer_reach_a_person(page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Contact", exact=True).click()
    page.wait_for_url("**/contact/")
    assert page.get_by_role("heading", level=1).inner_text() == "Contact the collaboration"
    assert fits(page)
    assert_no_axe_violations(page)
