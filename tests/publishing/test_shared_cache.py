"""With REDIS_URL, every app server shares one page cache; a Redis that is down costs only it."""

import shutil

import pytest
from django.test import Client

from bench.server import free_port, start_redis


def redis_caches(url):
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    backend = "publishing.cache.ForgivingRedisCache"
    return {
        "default": {"BACKEND": backend, "LOCATION": url, "OPTIONS": options},
        "pages": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "pages", "OPTIONS": options},
    }


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (Debian package redis-server)")
    process, url = start_redis(log_dir=tmp_path)
    yield url
    process.stop()


def test_settings_use_redis_for_pages_only_when_redis_url_is_set(monkeypatch):
    import importlib

    from empac.settings import base

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/7")
    with_redis = importlib.reload(base).CACHES
    monkeypatch.delenv("REDIS_URL")
    without = importlib.reload(base).CACHES

    assert with_redis["pages"]["BACKEND"] == "publishing.cache.ForgivingRedisCache"
    assert with_redis["pages"]["LOCATION"] == "redis://127.0.0.1:6379/7"
    assert with_redis["default"]["BACKEND"].endswith("RedisCache")
    assert without["pages"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.django_db
def test_a_page_rendered_by_one_server_is_served_from_redis_by_another(settings, redis_url):
    settings.CACHES = redis_caches(redis_url)
    first_server, second_server = Client(), Client()

    assert first_server.get("/about/")["X-Page-Cache"] == "miss"
    assert second_server.get("/about/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_pages_are_still_served_when_redis_is_down(settings, caplog):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")

    response = Client().get("/about/")

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert "Cache unavailable" in caplog.text
