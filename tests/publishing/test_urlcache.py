import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from publishing.urlcache import reverse_slug


@pytest.mark.parametrize("slug", ["a", "progress-report-2020", "under_score", "x-2"])
def test_reverse_slug_gives_what_reverse_gives(slug):
    for name in ("reports:report-detail", "browse:theme-detail"):
        assert reverse_slug(name, slug) == reverse(name, kwargs={"slug": slug})


def test_reverse_slug_follows_the_script_prefix():
    set_script_prefix("/knowledge/")
    try:
        assert reverse_slug("reports:report-detail", "x") == "/knowledge/reports/x/"
    finally:
        clear_script_prefix()
    assert reverse_slug("reports:report-detail", "x") == "/reports/x/"


@pytest.mark.django_db
def test_links_every_page_draws_follow_the_script_prefix(client):
    # Header, breadcrumbs and footer links are reversed once per worker and prefix.
    set_script_prefix("/knowledge/")
    try:
        under_a_prefix = client.get("/about/").content.decode()
    finally:
        clear_script_prefix()
    at_the_root = client.get("/accessibility/").content.decode()

    assert 'href="/knowledge/privacy/"' in under_a_prefix
    assert 'href="/knowledge/themes/"' in under_a_prefix
    assert 'href="/privacy/"' in at_the_root
    assert 'href="/knowledge/' not in at_the_root
