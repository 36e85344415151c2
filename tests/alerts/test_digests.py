"""Digests: what became public since the last one, in the subscriber's themes, never more."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts.models import Subscription
from alerts.services import digest_sections, ledger_sync
from tests import factories
from tests.alerts.conftest import emails_to, later, link, run_digests
from tests.conftest import run_background_tasks

pytestmark = pytest.mark.django_db


class StalledEmailBackend(BaseEmailBackend):
    """A mail server that accepts the connection and then says nothing until the timeout."""

    def send_messages(self, email_messages):
        raise TimeoutError("timed out")


def digest_for(address="reader@example.org"):
    [message] = emails_to(address)
    return message


def test_a_digest_names_a_report_published_in_the_theme_since_confirming(confirmed, themes):
    confirmed()
    report = factories.ReportFactory(title="Cryptocurrency and county lines", themes=[themes[0]])

    run_digests(later(1))

    message = digest_for()
    assert "Cryptocurrency and county lines" in message.body
    assert f"https://empac.example.org{report.get_absolute_url()}" in message.body
    assert "New reports" in message.body


def test_no_digest_names_drafts_other_themes_or_what_was_public_before(confirmed, themes):
    factories.ReportFactory(title="Old news", themes=[themes[0]])
    confirmed()
    factories.ReportFactory(title="A draft", themes=[themes[0]], status="draft")
    factories.ReportFactory(title="Another theme", themes=[themes[1]])
    factories.ReportFactory(title="Fresh", themes=[themes[0]])

    run_digests(later(1))

    body = digest_for().body
    assert "Fresh" in body
    for absent in ("Old news", "A draft", "Another theme"):
        assert absent not in body


def test_an_item_published_then_unpublished_before_the_digest_is_never_named(confirmed, themes):
    subscription = confirmed()
    withdrawn = factories.ReportFactory(title="Withdrawn report", themes=[themes[0]])
    ledger_sync(now=later(0.5))  # another run saw it while it was public
    withdrawn.status = "draft"
    withdrawn.save()
    factories.ReportFactory(title="Still public", themes=[themes[0]])

    run_digests(later(1))

    body = digest_for().body
    assert "Still public" in body
    assert "Withdrawn report" not in body
    subscription.refresh_from_db()
    assert subscription.last_digest_at > subscription.confirmed_at


def test_an_item_public_only_between_two_runs_is_never_named(confirmed, themes):
    confirmed()
    blink = factories.ReportFactory(title="Blink", themes=[themes[0]])
    blink.status = "draft"
    blink.save()

    run_digests(later(1))

    assert emails_to("reader@example.org") == []


def test_a_gap_recorded_on_its_own_is_news_only_once_published(confirmed, themes):
    confirmed(themes=[], gap_register="yes")
    draft = factories.KnowledgeGapFactory(
        analysis=None, report=None, question="Which apps launder fraud proceeds?"
    )
    factories.KnowledgeGapFactory(
        analysis=None,
        report=None,
        question="How do county lines recruit online?",
        workflow_status="published",
    )

    run_digests(later(1))
    assert "How do county lines recruit online?" in digest_for().body
    assert "Which apps launder fraud proceeds?" not in digest_for().body
    mail.outbox.clear()

    draft.workflow_status = "published"
    draft.save()
    run_digests(later(2))

    assert "Which apps launder fraud proceeds?" in digest_for().body
    assert f"https://empac.example.org/gaps/{draft.pk}/" in digest_for().body


def test_gaps_become_news_when_their_analysis_is_published(confirmed, themes):
    confirmed(themes=[], gap_register="yes")
    analysis = factories.GapAnalysisFactory(status="draft")
    factories.KnowledgeGapFactory(analysis=analysis, question="Hidden while draft?")
    factories.KnowledgeGapFactory(
        analysis=None,
        report=factories.ReportFactory(status="draft"),
        question="From a draft report?",
    )

    run_digests(later(1))
    assert emails_to("reader@example.org") == []

    analysis.status = "published"
    analysis.save()
    run_digests(later(2.1))

    body = digest_for().body
    assert "Hidden while draft?" in body
    assert "From a draft report?" not in body
    assert "New knowledge gaps" in body


def test_a_theme_subscriber_hears_of_gaps_in_that_theme_only(confirmed, themes):
    confirmed()
    factories.KnowledgeGapFactory(theme=themes[0], question="In my theme?")
    factories.KnowledgeGapFactory(theme=themes[1], question="In another?")

    run_digests(later(1))

    body = digest_for().body
    assert "In my theme?" in body
    assert "In another?" not in body


def test_a_status_change_of_a_public_gap_is_news_once(confirmed, themes):
    gap = factories.KnowledgeGapFactory(theme=themes[0], question="Being worked on?")
    confirmed()
    gap.status = "being_researched"
    gap.save()

    run_digests(later(1))
    body = digest_for().body
    assert "Knowledge gaps whose status changed" in body
    assert "Being worked on? (Now: Being researched)" in body

    mail.outbox.clear()
    run_digests(later(2.1))
    assert mail.outbox == []


def test_no_email_when_nothing_is_new_but_the_period_moves_on(confirmed):
    subscription = confirmed()
    run_digests(later(1))

    assert mail.outbox == []
    subscription.refresh_from_db()
    assert subscription.last_digest_at > subscription.confirmed_at
    assert subscription.digest_window_end is None


def test_weekly_subscribers_wait_a_week_and_get_the_whole_week(confirmed, themes):
    subscription = confirmed(frequency="weekly")
    factories.ReportFactory(title="Monday's report", themes=[themes[0]])
    run_digests(later(1))
    assert mail.outbox == []

    factories.ReportFactory(title="Thursday's report", themes=[themes[0]])
    run_digests(later(4))
    assert mail.outbox == []

    run_digests(later(7, since=subscription.confirmed_at))
    body = digest_for().body
    assert "Monday's report" in body and "Thursday's report" in body


def test_an_unconfirmed_subscriber_gets_nothing_but_the_confirmation(subscribe, form_data, themes):
    subscribe(form_data())
    mail.outbox.clear()
    factories.ReportFactory(themes=[themes[0]])

    run_digests(later(1))
    run_digests(later(8))

    assert mail.outbox == []


def test_running_send_digests_twice_sends_one_digest(confirmed, themes):
    confirmed()
    factories.ReportFactory(title="Once only", themes=[themes[0]])
    now = later(1)

    run_digests(now)
    run_digests(now)
    call_command("send_digests")
    run_background_tasks()

    assert len(emails_to("reader@example.org")) == 1


def test_a_stalled_mail_server_leaves_the_digest_to_retry_and_it_is_sent_once(
    confirmed, themes, settings
):
    subscription = confirmed()
    factories.ReportFactory(title="Worth the wait", themes=[themes[0]])
    settings.EMAIL_BACKEND = "tests.alerts.test_digests.StalledEmailBackend"
    now = later(1)

    run_digests(now)

    subscription.refresh_from_db()
    assert subscription.last_digest_at == subscription.confirmed_at  # not advanced
    assert subscription.digest_window_end == now  # the period stays claimed
    assert subscription.digest_attempts == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == "alerts.tasks.digest_send_task"
    # send_digests meanwhile claims nothing new: the period in flight is not sent twice.
    run_digests(later(2))
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_background_tasks()

    assert len(emails_to("reader@example.org")) == 1
    assert "Worth the wait" in digest_for().body
    subscription.refresh_from_db()
    assert subscription.last_digest_at == now
    assert subscription.digest_window_end is None


def test_a_digest_whose_tries_ran_out_is_reported_and_can_be_retried(confirmed, themes, settings):
    settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS = 1
    confirmed()
    factories.ReportFactory(title="Eventually", themes=[themes[0]])
    settings.EMAIL_BACKEND = "tests.alerts.test_digests.StalledEmailBackend"
    run_digests(later(1))

    with pytest.raises(CommandError, match="--retry-given-up"):
        call_command("send_digests")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_digests", "--retry-given-up")
    run_background_tasks()
    assert "Eventually" in digest_for().body


def test_a_digest_has_a_signed_unsubscribe_link_and_one_click_headers(confirmed, themes):
    confirmed()
    factories.ReportFactory(themes=[themes[0]])
    run_digests(later(1))

    message = digest_for()
    unsubscribe = link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://empac.example.org{unsubscribe}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_subscriber_who_unsubscribed_while_a_digest_waited_gets_nothing(
    client, confirmed, themes, settings
):
    confirmed()
    factories.ReportFactory(themes=[themes[0]])
    settings.EMAIL_BACKEND = "tests.alerts.test_digests.StalledEmailBackend"
    run_digests(later(1))
    Subscription.objects.all().delete()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_background_tasks()
    assert mail.outbox == []


@pytest.mark.parametrize("reports", [2, 12])
def test_building_a_digest_takes_the_same_queries_however_many_items(
    confirmed, themes, reports, django_assert_max_num_queries
):
    subscription = confirmed(gap_register="yes")
    for _ in range(reports):
        factories.ReportFactory(themes=[themes[0]])
        factories.KnowledgeGapFactory(theme=themes[0])
    until = later(1)
    ledger_sync(now=until)

    with django_assert_max_num_queries(12):
        sections = digest_sections(
            subscription=subscription, since=subscription.last_digest_at, until=until
        )
    assert sum(len(s["items"]) for s in sections) == 2 * reports
