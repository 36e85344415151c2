"""Managing alerts without signing in: the signed link in each alert email opens a page
where the subscriber changes themes, the gap register or how often, or unsubscribes."""

import pytest
from django.core import mail, signing

from alerts.models import Subscription
from alerts.tokens import MANAGE_SALT, manage_token
from tests import factories
from tests.alerts.conftest import emails_to, later, link, run_digests
from tests.catalogue import assert_query_counts_flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def manage_link(confirmed, themes):
    """A confirmed reader's manage link, as their first digest gives it."""
    subscription = confirmed()
    factories.ReportFactory(title="County lines in 2026", themes=[themes[0]])
    run_digests(later(1))
    [digest] = emails_to("reader@example.org")
    mail.outbox.clear()
    return subscription, link(digest, "manage")


def choices(published, **overrides):
    data = {"themes": [str(published[1].pk)], "frequency": "weekly"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_digest_links_to_a_page_showing_the_current_choices(client, manage_link, themes):
    subscription, url = manage_link

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["subscription"] == subscription
    page = response.content.decode()
    assert "reader@example.org" in page
    assert list(response.context["form"].initial["themes"]) == [themes[0]]
    assert page.count(" checked") == 2  # its theme and its frequency
    assert response.context["form"].initial["frequency"] == "daily"
    assert "Draft theme" not in page
    assert "no-cache" in response["Cache-Control"]


def test_saving_new_choices_changes_what_the_next_digest_names(client, manage_link, themes):
    subscription, url = manage_link

    response = client.post(url, choices(themes, gap_register="yes"))

    assert response.status_code == 200
    assert "Your alerts are changed" in response.content.decode()
    subscription.refresh_from_db()
    assert list(subscription.themes.all()) == [themes[1]]
    assert subscription.includes_gap_register
    assert subscription.frequency == "weekly"
    assert subscription.consented_at is not None  # consent is kept, not asked again

    factories.ReportFactory(title="Only in the old theme", themes=[themes[0]])
    factories.ReportFactory(title="In the new theme", themes=[themes[1]])
    run_digests(later(8, since=subscription.last_digest_at))
    [digest] = emails_to("reader@example.org")
    assert "In the new theme" in digest.body
    assert "Only in the old theme" not in digest.body


def test_choosing_nothing_says_what_to_do_and_changes_nothing(client, manage_link, themes):
    subscription, url = manage_link

    response = client.post(url, {"frequency": "weekly"})

    assert response.status_code == 400
    assert "Select at least one theme, or the knowledge-gap register" in response.text
    subscription.refresh_from_db()
    assert list(subscription.themes.all()) == [themes[0]]
    assert subscription.frequency == "daily"


@pytest.mark.parametrize("value", ["999999", "not-a-number"])
def test_an_unknown_or_draft_theme_is_refused(client, manage_link, themes, value):
    subscription, url = manage_link
    draft = factories.ThemeFactory(slug="another-draft", status="draft")

    for theme in (value, str(draft.pk)):
        response = client.post(url, choices(themes, themes=[theme]))
        assert response.status_code == 400
        assert "Select themes from the list" in response.text
    assert list(subscription.themes.all()) == [themes[0]]


def test_a_bad_frequency_is_refused(client, manage_link, themes):
    subscription, url = manage_link

    response = client.post(url, choices(themes, frequency="hourly"))

    assert response.status_code == 400
    assert "Select daily or weekly" in response.text
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"


def test_a_forged_link_gets_a_clear_page_and_changes_nothing(client, manage_link, themes):
    subscription, url = manage_link
    forged = url[:-3] + ("x" if url[-3] != "x" else "y") + "/"

    for response in (client.get(forged), client.post(forged, choices(themes))):
        assert response.status_code == 400
        assert "This link is not valid" in response.text
    assert list(subscription.themes.all()) == [themes[0]]


def test_an_expired_link_says_so_and_changes_nothing(client, manage_link, themes, settings):
    subscription, url = manage_link
    settings.EMPAC_ALERTS_MANAGE_MAX_AGE = -1

    for response in (client.get(url), client.post(url, choices(themes))):
        assert response.status_code == 400
        assert "This link has expired" in response.text
        assert "The unsubscribe link in any alert email still works" in response.text
    assert list(subscription.themes.all()) == [themes[0]]


def test_a_link_signed_for_another_purpose_is_not_a_manage_link(client, manage_link):
    subscription, _ = manage_link
    unsubscribe = signing.dumps({"s": subscription.pk, "k": subscription.key}, salt="other")

    assert client.get(f"/alerts/manage/{unsubscribe}/").status_code == 400
    assert signing.loads(manage_token(subscription), salt=MANAGE_SALT)["s"] == subscription.pk


def test_a_link_of_an_unsubscribed_address_acts_on_nothing(client, manage_link, themes):
    subscription, url = manage_link
    client.post(link_to_unsubscribe(client, url))
    assert not Subscription.objects.exists()

    for response in (client.get(url), client.post(url, choices(themes))):
        assert response.status_code == 410
        assert "These alerts no longer exist" in response.text
    assert not Subscription.objects.exists()


def link_to_unsubscribe(client, url) -> str:
    """The manage page's unsubscribe button's address."""
    token = client.get(url).context["unsubscribe_token"]
    return f"/alerts/unsubscribe/{token}/"


def test_the_page_unsubscribes_without_signing_in(client, manage_link):
    _, url = manage_link

    response = client.post(link_to_unsubscribe(client, url))

    assert response.status_code == 200
    assert "You have unsubscribed" in response.text
    assert not Subscription.objects.exists()


def test_a_subscription_not_yet_confirmed_cannot_be_changed(client, subscribe, form_data, themes):
    subscribe(form_data())
    subscription = Subscription.objects.get()
    url = f"/alerts/manage/{manage_token(subscription)}/"

    assert "not confirmed yet" in client.get(url).text
    response = client.post(url, choices(themes))
    assert response.status_code == 400
    assert list(subscription.themes.all()) == [themes[0]]


def test_a_confirmation_to_a_confirmed_address_links_to_its_manage_page(
    client, confirmed, subscribe, form_data, themes
):
    confirmed()
    subscribe(form_data(themes=[str(themes[2].pk)]))

    [message] = emails_to("reader@example.org")
    response = client.get(link(message, "manage"))
    assert response.status_code == 200
    assert list(response.context["form"].initial["themes"]) == [themes[0]]


def test_the_alert_pages_cost_the_same_queries_however_many_themes(
    client, manage_link, django_assert_max_num_queries
):
    subscription, url = manage_link

    def more_themes():
        themes = [factories.ThemeFactory(slug=f"more-{n}") for n in range(12)]
        subscription.themes.add(*themes)

    pages = [url, "/alerts/", link_to_unsubscribe(client, url)]
    assert_query_counts_flat(
        client, django_assert_max_num_queries, pages, budget=12, grow=more_themes
    )
