"""OAI-PMH: every answer valid by the protocol's schema, every bad argument its own error,
and items that stop being public reported as deleted, never silently missing."""

import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from oai.models import Record
from oai.protocol import TOKEN_SALT
from tests import factories

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
OAI_PMH = etree.XMLSchema(etree.parse(str(SCHEMAS / "OAI-PMH.xsd")))
OAI_DC = etree.XMLSchema(etree.parse(str(SCHEMAS / "oai_dc.xsd")))


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.EMPAC_API_RATE_LIMIT = 10_000
    settings.EMPAC_OAI_REPOSITORY_IDENTIFIER = "empac.example.org"


def oai(client, method="get", **arguments):
    url = reverse("oai:endpoint")
    if method == "post":
        response = client.post(url, arguments)
    else:
        response = client.get(f"{url}?{urlencode(arguments, doseq=True)}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    OAI_PMH.assertValid(root)
    for record in root.iterfind(".//oai_dc:dc", NS):
        OAI_DC.assertValid(etree.ElementTree(record))
    return root


def error_code(root):
    errors = root.findall("o:error", NS)
    return errors[0].get("code") if errors else None


def identifiers(root):
    return [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]


def headers(root):
    return {
        h.findtext("o:identifier", namespaces=NS): h.get("status")
        for h in root.iterfind(".//o:header", NS)
    }


def identifier(report):
    return f"oai:empac.example.org:report/{report.pk}"


def test_identify_says_deleted_records_are_persistent(client):
    root = oai(client, verb="Identify")
    assert error_code(root) is None
    assert root.findtext("o:Identify/o:deletedRecord", namespaces=NS) == "persistent"
    assert root.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.findtext("o:Identify/o:baseURL", namespaces=NS) == "http://testserver/oai/"


def test_list_metadata_formats_offers_oai_dc(client, published_report):
    root = oai(client, verb="ListMetadataFormats")
    assert root.findtext(".//o:metadataPrefix", namespaces=NS) == "oai_dc"
    root = oai(client, verb="ListMetadataFormats", identifier=identifier(published_report))
    assert error_code(root) is None


def test_sets_are_the_published_themes(client, theme):
    draft = factories.ThemeFactory(status="draft")
    root = oai(client, verb="ListSets")
    specs = [e.text for e in root.iterfind(".//o:setSpec", NS)]
    assert theme.slug in specs and draft.slug not in specs


def test_records_are_published_reports_and_gap_analyses_in_oai_dc(client, theme):
    report = factories.ReportFactory(title="County lines", themes=[theme], tags=["drugs"])
    report.authors.add(factories.PersonFactory(name="Ada Lovelace"))
    report.authors.add(factories.PersonFactory(name="Hidden Person", status="draft"))
    analysis = factories.GapAnalysisFactory(report=report)
    factories.ReportFactory(title="Draft report", status="draft", themes=[theme])

    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert set(identifiers(root)) == {
        identifier(report),
        f"oai:empac.example.org:gapanalysis/{analysis.pk}",
    }
    dc = root.xpath(
        f".//o:record[o:header/o:identifier='{identifier(report)}']//oai_dc:dc", namespaces=NS
    )[0]
    assert dc.findtext("dc:title", namespaces=NS) == "County lines"
    assert [e.text for e in dc.findall("dc:creator", NS)] == ["Dr Ada Lovelace"]
    assert theme.full_name in [e.text for e in dc.findall("dc:subject", NS)]
    assert f"http://testserver{report.get_absolute_url()}" in [
        e.text for e in dc.findall("dc:identifier", NS)
    ]
    assert b"Draft report" not in etree.tostring(root)
    assert b"Hidden Person" not in etree.tostring(root)

    by_set = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=theme.slug)
    assert identifiers(by_set) == [identifier(report)]


def test_get_record_answers_for_one_report(client, published_report):
    root = oai(
        client, verb="GetRecord", identifier=identifier(published_report), metadataPrefix="oai_dc"
    )
    assert identifiers(root) == [identifier(published_report)]


def test_post_requests_are_answered_as_get(client, published_report):
    root = oai(
        client,
        method="post",
        verb="GetRecord",
        identifier=identifier(published_report),
        metadataPrefix="oai_dc",
    )
    assert identifiers(root) == [identifier(published_report)]


@pytest.mark.parametrize(
    "make_it_not_public",
    [
        pytest.param(lambda r: setattr(r, "status", "draft") or r.save(), id="unpublished"),
        pytest.param(lambda r: r.delete(), id="deleted"),
        pytest.param(lambda r: setattr(r, "status", "withdrawn") or r.save(), id="withdrawn"),
        pytest.param(
            lambda r: setattr(r, "marking", "OFFICIAL-SENSITIVE") or r.save(), id="re-marked"
        ),
        pytest.param(lambda r: setattr(r, "expires_at", timezone.now()) or r.save(), id="expired"),
    ],
)
def test_an_item_that_stops_being_public_is_reported_deleted(client, theme, make_it_not_public):
    report = factories.ReportFactory(themes=[theme])
    name = identifier(report)
    seen = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert headers(seen)[name] is None
    before = timezone.now().replace(microsecond=0)

    make_it_not_public(report)

    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert headers(root)[name] == "deleted"
    header = root.find(".//o:header[@status='deleted']", NS)
    stamp = datetime.datetime.strptime(
        header.findtext("o:datestamp", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ"
    )
    assert stamp.replace(tzinfo=datetime.UTC) >= before
    assert header.findtext("o:setSpec", namespaces=NS) == theme.slug, "still in its set"

    got = oai(client, verb="GetRecord", identifier=name, metadataPrefix="oai_dc")
    assert got.find(".//o:header", NS).get("status") == "deleted"
    assert got.find(".//o:metadata", NS) is None

    since = oai(
        client,
        verb="ListRecords",
        metadataPrefix="oai_dc",
        **{"from": before.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    assert headers(since) == {name: "deleted"}


def test_an_item_public_again_is_a_live_record_again(client, published_report):
    oai(client, verb="Identify")
    published_report.status = "draft"
    published_report.save()
    oai(client, verb="Identify")
    published_report.status = "published"
    published_report.save()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert headers(root)[identifier(published_report)] is None


def test_an_edit_gives_a_record_a_new_datestamp(client, published_report):
    oai(client, verb="Identify")
    first = Record.objects.get(object_id=published_report.pk, kind="report").datestamp
    Record.objects.update(datestamp=first - datetime.timedelta(days=1))
    published_report.title = "Retitled"
    published_report.save()
    oai(client, verb="Identify")
    assert Record.objects.get(object_id=published_report.pk, kind="report").datestamp >= first


def test_long_lists_resume_with_stateless_tokens_and_end_with_an_empty_one(client, settings, theme):
    settings.EMPAC_OAI_PAGE_SIZE = 2
    reports = factories.ReportFactory.create_batch(5, themes=[theme])
    seen, token, pages = [], None, 0
    while True:
        arguments = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        root = oai(client, verb="ListRecords", **arguments)
        seen += identifiers(root)
        element = root.find(".//o:resumptionToken", NS)
        pages += 1
        assert element.get("completeListSize") == "5"
        token = element.text
        if not token:
            break
        assert element.get("expirationDate")
    assert pages == 3
    assert sorted(seen) == sorted(identifier(r) for r in reports)


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-02-30"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T25:00:00Z"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2021-01-01",
                "until": "2020-01-01",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2020-01-01",
                "until": "2021-01-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no-such-theme"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:empac.example.org:report/999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:elsewhere.org:report/1",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "report/１", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        ({"verb": "GetRecord", "identifier": "x"}, "badArgument"),
        ({"verb": "ListMetadataFormats", "identifier": "nonsense"}, "idDoesNotExist"),
    ],
)
def test_every_bad_argument_gets_the_protocols_own_error(client, published_report, arguments, code):
    root = oai(client, **arguments)
    assert error_code(root) == code
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}, "no echo of arguments that were not valid"


def test_an_expired_or_other_lists_token_is_refused(client, settings, theme):
    settings.EMPAC_OAI_PAGE_SIZE = 1
    factories.ReportFactory.create_batch(2, themes=[theme])
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(".//o:resumptionToken", namespaces=NS)
    assert token
    assert (
        error_code(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    )

    old = signing.dumps(
        {"verb": "ListIdentifiers", "prefix": "oai_dc", "after": 0, "cursor": 0}, salt=TOKEN_SALT
    )
    later = timezone.now() + datetime.timedelta(days=2)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert (
            error_code(oai(client, verb="ListIdentifiers", resumptionToken=old))
            == "badResumptionToken"
        )


def test_oai_answers_carry_validators(client, published_report):
    url = f"{reverse('oai:endpoint')}?verb=Identify"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_list_records_query_count_does_not_grow_with_records(
    settings, django_assert_max_num_queries
):
    from django.http import QueryDict

    from oai.protocol import Request
    from oai.records import synced
    from tests.catalogue import grow_catalogue

    def queries_for_a_page(query):
        synced()  # once per content version; measured apart
        request = Request(QueryDict(query), base_url="http://testserver/oai/", absolute=str)
        with CaptureQueriesContext(connection) as captured:
            request.response()
        return len(captured)

    settings.EMPAC_OAI_PAGE_SIZE = 2  # every list has more than one page, before and after
    grow_catalogue(3)
    queries = {
        query: queries_for_a_page(query)
        for query in (
            "verb=ListRecords&metadataPrefix=oai_dc",
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=theme-0",
        )
    }
    grow_catalogue(60)
    for query, count in queries.items():
        assert count <= 12
        synced()
        with django_assert_max_num_queries(count):
            Request(QueryDict(query), base_url="http://testserver/oai/", absolute=str).response()
