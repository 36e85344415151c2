"""Content addresses by slug: the very address reverse() gives, however it is served."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from publishing.links import slug_url
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    ("browse:theme-detail", factories.ThemeFactory),
    ("browse:organisation-detail", factories.OrganisationFactory),
    ("browse:person-detail", factories.PersonFactory),
    ("reports:report-detail", factories.ReportFactory),
    ("reports:gapanalysis-detail", factories.GapAnalysisFactory),
]


@pytest.mark.parametrize(("view_name", "factory"), PAGES, ids=[name for name, _ in PAGES])
def test_each_page_links_to_the_address_reverse_gives(view_name, factory):
    entry = factory()
    assert entry.get_absolute_url() == reverse(view_name, kwargs={"slug": entry.slug})
    assert entry.get_absolute_url().endswith(f"/{entry.slug}/")


def test_a_site_served_under_a_prefix_links_under_it():
    slug_url("browse:person-detail", "first")  # reversed without the prefix first
    set_script_prefix("/kb/")
    try:
        assert slug_url("browse:person-detail", "dave-walsh") == "/kb/people/dave-walsh/"
    finally:
        set_script_prefix("/")
    assert slug_url("browse:person-detail", "dave-walsh") == "/people/dave-walsh/"


def test_a_slug_reverse_would_quote_is_left_to_reverse():
    assert slug_url("browse:person-detail", "dave-walsh") == "/people/dave-walsh/"
    with pytest.raises(Exception, match="Reverse"):
        slug_url("browse:person-detail", "not a slug")


@override_settings(ROOT_URLCONF="tests.publishing.urls_elsewhere")
def test_another_url_configuration_gets_its_own_addresses():
    assert slug_url("browse:person-detail", "dave-walsh") == "/elsewhere/people/dave-walsh/"
