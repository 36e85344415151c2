"""Cite this report: styled citations on the page and downloads, all from one record."""

import json
import re

import pytest
from django.core.files.base import ContentFile

from reports import citation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(theme):
    report = factories.ReportFactory(
        title="Understanding county lines & cuckooing",
        themes=[theme],
        date_precision="month",
        summary="What we found.",
    )
    report.authors.add(
        factories.PersonFactory(name="Jane Smith"),
        factories.PersonFactory(name="Okafor"),  # the sources give only a surname
        factories.PersonFactory(name="Hidden Author", status="draft"),
    )
    return report


def download(client, report, extension):
    response = client.get(f"{report.get_absolute_url()}citation.{extension}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{report.slug}.{extension}"'
    return response


def test_the_report_page_offers_apa_and_harvard_as_plain_selectable_text(client, report):
    html = client.get(report.get_absolute_url()).content.decode()
    year = report.published_on.year
    assert "Cite this report" in html
    apa = re.search(r'id="citation-apa">(.*?)</p>', html).group(1)
    harvard = re.search(r'id="citation-harvard">(.*?)</p>', html).group(1)
    assert apa.startswith(f"Smith, J., &amp; Okafor. ({year}). <i>Understanding county lines")
    assert harvard.startswith(f"Smith, J. and Okafor ({year}) <i>Understanding county lines")
    assert "Hidden Author" not in html
    # Without JavaScript the copy buttons stay hidden; the script (no inline code) shows them.
    assert '<p class="govuk-body" hidden><button type="button"' in html
    assert re.search(r'<script src="/static/js/cite\.js[^"]*" defer></script>', html)


def test_downloads_come_from_the_same_record(client, report):
    bib = download(client, report, "bib")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    text = bib.content.decode()
    assert text.startswith(f"@techreport{{{report.slug},")
    assert "author = {Smith, Jane and Okafor}" in text
    assert r"title = {{Understanding county lines \& cuckooing}}" in text
    assert f"year = {{{report.published_on.year}}}" in text
    assert "Hidden Author" not in text

    ris = download(client, report, "ris").content.decode()
    assert ris.startswith("TY  - RPRT\r\n")
    assert "AU  - Smith, Jane\r\nAU  - Okafor\r\n" in ris
    assert ris.endswith("ER  - \r\n")

    csl = json.loads(download(client, report, "json").content)
    assert csl[0]["type"] == "report"
    assert csl[0]["author"] == [{"family": "Smith", "given": "Jane"}, {"family": "Okafor"}]
    assert csl[0]["issued"] == {
        "date-parts": [[report.published_on.year, report.published_on.month]]
    }


def test_a_report_without_authors_is_cited_as_the_collaborations(client, theme):
    report = factories.ReportFactory(themes=[theme])
    record = json.loads(download(client, report, "json").content)[0]
    assert record["author"] == [{"literal": citation.PUBLISHER}]
    assert (
        f"author = {{{{{citation.PUBLISHER}}}}}" in download(client, report, "bib").content.decode()
    )


def test_a_drafts_citation_is_not_found(client, draft_report):
    for extension in ("bib", "ris", "json"):
        url = f"{draft_report.get_absolute_url()}citation.{extension}"
        assert client.get(url).status_code == 404


def test_an_unknown_citation_format_is_not_found(client, report):
    assert client.get(f"{report.get_absolute_url()}citation.docx").status_code == 404


def test_report_page_carries_highwire_tags_and_json_ld(client, report):
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    org = factories.OrganisationFactory(name="De Montfort University")
    report.organisations.add(org)
    head = client.get(report.get_absolute_url()).content.decode().split("</head>")[0]

    assert (
        '<meta name="citation_title" content="Understanding county lines &amp; cuckooing">' in head
    )
    assert head.count('<meta name="citation_author"') == 2
    assert '<meta name="citation_author" content="Smith, Jane">' in head
    day = report.published_on
    assert f'<meta name="citation_publication_date" content="{day.year}/{day.month}">' in head
    assert f'content="http://testserver{report.get_pdf_url()}"' in head
    assert '<meta property="og:type" content="article">' in head

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', head).group(1)
    )
    assert data["@context"] == "https://schema.org" and data["@type"] == "Report"
    assert [a["name"] for a in data["author"]] == ["Jane Smith", "Okafor"]
    assert data["sourceOrganization"][0]["name"] == "De Montfort University"
    assert data["encoding"]["contentUrl"].endswith(report.get_pdf_url())


def test_json_ld_cannot_end_its_script_element(client, theme):
    report = factories.ReportFactory(themes=[theme], title="</script><script>alert(1)</script>")
    html = client.get(report.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    assert "<" not in block and "\\u003C/script" in block


@pytest.mark.parametrize("page", ["person", "organisation"])
def test_people_and_partner_pages_describe_themselves_in_json_ld(client, page):
    person = factories.PersonFactory(name="Jane Smith")
    thing = person if page == "person" else person.organisation
    html = client.get(thing.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == ("Person" if page == "person" else "Organization")
    assert data["url"] == f"http://testserver{thing.get_absolute_url()}"
    if page == "person":
        assert data["affiliation"]["name"] == person.organisation.name


def test_every_page_has_a_canonical_link_and_open_graph(client, report):
    for path, canonical in (
        ("/", "http://testserver/"),
        (report.get_absolute_url(), f"http://testserver{report.get_absolute_url()}"),
        ("/reports/?theme=&kind=interim&year=", "http://testserver/reports/?kind=interim"),
    ):
        head = client.get(path).content.decode().split("</head>")[0]
        assert f'<link rel="canonical" href="{canonical}">' in head, path
        assert f'<meta property="og:url" content="{canonical}">' in head
        title = re.search(r"<title>(.*?)</title>", head).group(1)
        assert f'<meta property="og:title" content="{title}">' in head


def test_canonical_links_use_the_configured_site_address(client, settings, report):
    settings.EMPAC_SITE_URL = "https://empac.example.org"
    head = client.get(report.get_absolute_url()).content.decode().split("</head>")[0]
    assert (
        f'<link rel="canonical" href="https://empac.example.org{report.get_absolute_url()}">'
        in head
    )
