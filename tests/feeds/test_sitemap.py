"""/sitemap.xml lists every public page with its last change; /robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from protego import Protego

from tests import factories

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url) -> dict[str, str | None]:
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        entry.findtext("s:loc", namespaces=NS): entry.findtext("s:lastmod", namespaces=NS)
        for entry in root
    }


def all_pages(client) -> dict[str, str | None]:
    pages = {}
    for section in locations(client, reverse("feeds:sitemap")):
        assert section.startswith("http://testserver/sitemap-")
        pages |= locations(client, section.removeprefix("http://testserver"))
    return pages


def test_sitemap_lists_every_public_page_and_no_draft(client, theme):
    report = factories.ReportFactory(themes=[theme])
    draft = factories.ReportFactory(status="draft", themes=[theme])
    person = factories.PersonFactory()
    hidden_person = factories.PersonFactory(status="draft")
    analysis = factories.GapAnalysisFactory(report=report)
    draft_theme = factories.ThemeFactory(status="draft")

    pages = all_pages(client)

    def absolute(path):
        return f"http://testserver{path}"

    for thing in (report, person, person.organisation, analysis, theme):
        assert absolute(thing.get_absolute_url()) in pages
    for hidden in (draft, hidden_person, draft_theme):
        assert absolute(hidden.get_absolute_url()) not in pages
    for name in ("browse:home", "reports:report-list", "browse:about", "involvement:register"):
        assert absolute(reverse(name)) in pages
    assert pages[absolute(report.get_absolute_url())] == report.updated_at.strftime("%Y-%m-%d")


def test_a_list_pages_last_change_is_the_newest_change_of_what_it_lists(client, theme):
    factories.ReportFactory(themes=[theme])
    newest = factories.ReportFactory(themes=[theme])
    pages = all_pages(client)
    assert pages[f"http://testserver{reverse('reports:report-list')}"] == (
        newest.updated_at.strftime("%Y-%m-%d")
    )
    # The prose pages' changes are not recorded, so they claim none.
    assert pages[f"http://testserver{reverse('browse:about')}"] is None


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_filtered_lists(client):
    response = client.get(reverse("feeds:robots"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = Protego.parse(response.content.decode())

    assert list(robots.sitemaps) == ["http://testserver/sitemap.xml"]
    allowed = ["/", "/reports/", "/reports/a-report/", "/themes/organised-fraud/", "/about/"]
    refused = [
        "/admin/",
        "/admin/reports/report/",
        "/reports/?theme=organised-fraud",
        "/reports/?page=2",
        "/search/?q=county+lines",
        "/oai/?verb=ListRecords",
    ]
    for path in allowed:
        assert robots.can_fetch(f"http://testserver{path}", "Googlebot"), path
    for path in refused:
        assert not robots.can_fetch(f"http://testserver{path}", "Googlebot"), path
