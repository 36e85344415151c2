"""Bad requests, refused permissions and expired forms get the site's own plain-words pages."""

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db

EXPIRED = "Sorry, your form could not be sent"


def test_admin_sign_in_with_an_expired_form_explains_and_signs_no_one_in():
    strict_client = Client(enforce_csrf_checks=True)
    User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-9")

    response = strict_client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "a-long-passphrase-9", "next": "/admin/"},
    )

    assert response.status_code == 403
    assert EXPIRED in response.content.decode()
    assert (
        'href="http://testserver/admin/login/?next=/admin/">Open the form again</a>'
        in response.content.decode()
    )
    assert "_auth_user_id" not in strict_client.session


def test_a_curator_refused_a_page_gets_the_sites_own_explanation(curator_client):
    response = curator_client.get("/admin/auth/user/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, you cannot open this page" in html
    assert 'href="#main"' in html


def test_a_request_for_an_unknown_host_gets_the_sites_own_bad_request_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, that request could not be understood" in html
    assert "attacker.example" not in html


def test_bad_request_page_renders_without_context_or_database(django_assert_num_queries):
    # Like 500.html, Django renders 400.html with no request and no context.
    with django_assert_num_queries(0):
        html = render_to_string("400.html")

    assert "could not be understood" in html
    assert 'href="/"' in html
