"""Anonymous clients are throttled per address, with counts every worker shares."""

import os

import pytest
from django.core.cache import caches
from django.urls import reverse

from involvement.models import RateLimitBucket

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("EMPAC_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(autouse=True)
def _a_minute_window(settings):
    """The production window, which Retry-After is checked against (conftest sets a long one)."""
    settings.EMPAC_API_RATE_WINDOW_SECONDS = 60


def hit(client, path, address="203.0.113.7"):
    return client.get(path, REMOTE_ADDR=address)


def assert_throttled_after(client, limit: int, path: str):
    for _ in range(limit):
        assert hit(client, path).status_code in (200, 304)
    refused = hit(client, path)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Try again in" in refused.json()["detail"]
    # Another address has its own allowance.
    assert hit(client, path, address="198.51.100.9").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/reports/",
        "/oai/?verb=Identify",
    ],
)
def test_over_the_limit_is_a_429_with_retry_after(client, settings, path):
    settings.EMPAC_API_RATE_LIMIT = 3
    assert_throttled_after(client, 3, path)


def test_answers_from_the_cache_and_304s_count_too(client, settings, published_report):
    settings.EMPAC_API_RATE_LIMIT = 2
    url = reverse("api:report-list")
    etag = hit(client, url)["ETag"]
    assert client.get(url, REMOTE_ADDR="203.0.113.7", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert hit(client, url).status_code == 429


def test_counts_live_in_the_database_not_in_a_workers_memory(client, settings):
    settings.EMPAC_API_RATE_LIMIT = 2
    hit(client, "/api/themes/")
    hit(client, "/api/themes/")
    assert sum(RateLimitBucket.objects.values_list("count", flat=True)) == 2
    for alias in settings.CACHES:  # what a fresh worker would start with
        caches[alias].clear()
    assert hit(client, "/api/themes/").status_code == 429


def test_pages_feeds_and_the_sitemap_are_not_throttled(client, settings, published_report):
    settings.EMPAC_API_RATE_LIMIT = 1
    for _ in range(3):
        assert hit(client, "/reports/").status_code == 200
        assert hit(client, "/feeds/reports/").status_code == 200
    assert not RateLimitBucket.objects.exists()


@pytest.fixture
def redis_counters(settings):
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"empac-test-{os.getpid()}",
        },
    }
    caches["ratelimit"].clear()
    yield caches["ratelimit"]
    caches["ratelimit"].clear()


def test_with_redis_configured_the_counts_live_in_redis(client, settings, redis_counters):
    settings.EMPAC_API_RATE_LIMIT = 2
    assert_throttled_after(client, 2, "/api/themes/")
    assert not RateLimitBucket.objects.exists()
