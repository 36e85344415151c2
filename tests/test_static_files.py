"""Static files and the site icon: served in tests and development without collectstatic."""

import warnings

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

pytestmark = pytest.mark.django_db


def test_every_page_links_the_site_icon(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_the_icon_is_an_svg_e_in_the_brand_colour(client):
    response = client.get("/static/favicon.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = b"".join(response.streaming_content).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'fill="#106165"' in svg


def test_favicon_ico_sends_browsers_to_the_icon_instead_of_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


def test_static_files_are_served_with_nothing_collected_and_no_warning(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "never-collected"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    response = middleware(RequestFactory().get("/static/css/site.css"))

    assert response.status_code == 200
    assert not settings.STATIC_ROOT.exists()
