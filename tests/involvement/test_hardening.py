"""Old forms, invisible answers, expired counters: each turned away or tidied plainly."""

import datetime
import re

import pytest

from involvement import ratelimit
from involvement.models import InterestRegistration, RateLimitBucket
from tests.involvement.conftest import REGISTER_URL, aged_token

pytestmark = pytest.mark.django_db
DAY = 24 * 60 * 60


def test_a_form_left_open_past_a_day_is_shown_again_with_the_answers_kept(
    submit, form_data, settings
):
    response = submit(form_data(token=aged_token(DAY + 60)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This form expired, your answers are kept" in html
    assert 'value="Dr Ada Lovelace"' in html
    assert not InterestRegistration.objects.exists()

    # The form shown again carries a fresh token, so sending it works.
    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    settings.EMPAC_REGISTRATION_MIN_SECONDS = 0  # sent again at once, by a test
    assert submit(form_data(token=fresh)).status_code == 302
    assert InterestRegistration.objects.count() == 1


def test_the_form_token_age_is_a_setting(submit, form_data, settings):
    settings.EMPAC_FORM_TOKEN_MAX_AGE = 120

    assert submit(form_data(token=aged_token(60))).status_code == 302
    assert submit(form_data(token=aged_token(180), email="b@example.org")).status_code == 200
    assert InterestRegistration.objects.count() == 1


@pytest.mark.parametrize(
    "invisible",
    ["\u200b\u200b", "\ufeff", "\u2028", "\u2029 ", "\u200c\u200d\u2060", "\u00ad"],
    ids=["zero-width-space", "bom", "line-separator", "paragraph-separator", "joiners", "shy"],
)
def test_a_one_line_answer_of_only_invisible_characters_counts_as_empty(
    submit, form_data, invisible
):
    response = submit(form_data(name=invisible, institution=f" {invisible} "))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter your name" in html
    assert "Enter your institution or organisation" in html
    assert not InterestRegistration.objects.exists()


def test_visible_text_beside_invisible_characters_is_kept(submit, form_data):
    assert submit(form_data(name="Ada\u200dLovelace")).status_code == 302
    assert InterestRegistration.objects.get().name == "Ada\u200dLovelace"


@pytest.mark.parametrize("path", ["/", "/reports/", "/about/", "/themes/", "/healthz"])
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_read_only_pages_answer_405_with_allow(client, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert "POST" not in response["Allow"]


def test_the_form_page_allows_post_but_not_put(client, themes):
    response = client.put(REGISTER_URL)

    assert response.status_code == 405
    assert "POST" in response["Allow"]


def test_rate_limit_counters_are_purged_as_their_window_ends(client, form_data, half_past_ten):
    now = ratelimit.timezone.now()
    ended = RateLimitBucket.objects.create(
        key="someone-else", window_start=now - datetime.timedelta(hours=2), count=3
    )

    client.post(REGISTER_URL, form_data())

    assert not RateLimitBucket.objects.filter(pk=ended.pk).exists()
    assert RateLimitBucket.objects.get().count == 1  # this client's, in the current window
