"""Links every page renders (header, navigation, footer, breadcrumbs) and page numbers."""

import pytest
from django.urls import clear_script_prefix, set_script_prefix

pytestmark = pytest.mark.django_db


def test_links_every_page_renders_follow_the_script_prefix(client):
    # The header and footer are cached fragments: one per section and script prefix.
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


def test_the_navigation_marks_the_page_and_its_section(client):
    themes = client.get("/themes/").content.decode()
    about = client.get("/about/").content.decode()

    assert 'href="/themes/" aria-current="page"' in themes
    assert 'href="/about/" aria-current="page"' in about
    assert 'href="/themes/" aria-current' not in about
