"""Content-Security-Policy and Permissions-Policy on every answer, cached pages included."""

import pytest
from django.urls import reverse

from publishing.middleware import CACHE_HEADER

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_carry_a_strict_csp_with_no_inline_code_and_no_nonce(client, published_report):
    policy = directives(client.get(reverse("browse:home")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    text = " ".join(v for values in policy.values() for v in values)
    assert "unsafe-inline" not in text and "nonce-" not in text


def test_a_page_from_the_page_cache_carries_the_same_headers(client, published_report):
    url = published_report.get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    assert first[CACHE_HEADER] == "miss" and second[CACHE_HEADER] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy"):
        assert second[header] == first[header]


def test_permissions_policy_denies_what_the_site_never_uses(client):
    policy = client.get(reverse("browse:about"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize(
    "path", ["/api/reports/", "/feeds/reports/", "/oai/?verb=Identify", "/sitemap.xml"]
)
def test_other_answers_carry_them_too(client, settings, path):
    settings.EMPAC_API_RATE_LIMIT = 100
    response = client.get(path)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
