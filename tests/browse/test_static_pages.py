"""About, accessibility and privacy pages, the error pages, and what every page shares."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

pytestmark = pytest.mark.django_db

STATIC_PAGES = ["browse:about", "browse:accessibility", "browse:privacy"]


@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_page_renders_with_one_heading(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assertContains(response, "<h1", count=1)


def test_privacy_notice_covers_interest_registrations_and_shows_its_version(client, settings):
    settings.EMPAC_REGISTRATION_RETENTION_DAYS = 180
    response = client.get(reverse("browse:privacy"))

    assertContains(response, "deleted automatically 180 days later")

    for topic in [
        "What we collect",
        "Why we collect it",
        "consent",
        "How long we keep it",
        "Your rights",
        "Contact",
        settings.PRIVACY_NOTICE_VERSION,
    ]:
        assertContains(response, topic)


@pytest.mark.parametrize(
    "url", ["/", "/themes/", "/reports/", "/partners/", "/people/", "/gap-analyses/", "/about/"]
)
def test_every_page_has_the_shared_frame(client, url, theme):
    html = client.get(url).content.decode()

    assert '<html lang="en-GB"' in html
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert '<a href="#main" class="govuk-skip-link">' in html
    assert '<main class="govuk-main-wrapper" id="main"' in html
    assert '<nav aria-label="Main"' in html
    for name in [
        "browse:about",
        "browse:accessibility",
        "browse:privacy",
        "involvement:register",
    ]:
        assert f'href="{reverse(name)}"' in html
    if url != "/":
        assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html


def test_navigation_marks_the_current_section(client, published_report):
    html = client.get(published_report.get_absolute_url()).content.decode()

    assert re.search(r'href="/reports/" aria-current="true">\s*<strong', html)
    assert 'aria-current="page"' not in html.split("</nav>")[0]


def test_unknown_address_gets_the_styled_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "Page not found", status_code=404)


def test_server_error_page_renders_without_context_or_database(django_assert_num_queries):
    # Django renders 500.html with an empty context; it must not touch the database.
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Sorry, there is a problem" in html
    assert 'href="#main"' in html


@override_settings(DEBUG=False)
def test_a_crashing_view_answers_with_the_styled_500_page(client, monkeypatch):
    from browse import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_context_data", explode)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()
