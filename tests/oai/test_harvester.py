"""A real harvester (oaipmh-scythe, from PyPI) harvests the live server, page by page."""

import pytest
from oaipmh_scythe import Scythe

from tests import factories


@pytest.fixture
def harvester(live_server, settings):
    settings.EMPAC_API_RATE_LIMIT = 10_000
    settings.EMPAC_OAI_PAGE_SIZE = 3  # so the harvest follows resumption tokens
    settings.EMPAC_OAI_REPOSITORY_IDENTIFIER = "empac.example.org"
    with Scythe(f"{live_server.url}/oai/", timeout=30) as scythe:
        yield scythe


@pytest.mark.django_db(transaction=True)
def test_a_harvester_gets_every_public_record_and_hears_of_deletions(harvester):
    theme = factories.ThemeFactory(slug="money-laundering")
    reports = factories.ReportFactory.create_batch(7, themes=[theme])
    factories.ReportFactory(status="draft", title="Not for harvesting")

    identify = harvester.identify()
    assert identify.deletedRecord == "persistent"
    assert [s.setSpec for s in harvester.list_sets()] == ["money-laundering"]
    assert [f.metadataPrefix for f in harvester.list_metadata_formats()] == ["oai_dc"]

    records = list(harvester.list_records(metadata_prefix="oai_dc"))
    assert len(records) == 7
    assert {r.metadata["title"][0] for r in records} == {r.title for r in reports}
    in_set = list(harvester.list_identifiers(metadata_prefix="oai_dc", set_="money-laundering"))
    assert len(in_set) == 7

    gone = reports[0]
    gone_id = f"oai:empac.example.org:report/{gone.pk}"
    gone.delete()
    headers = {
        h.identifier: h.deleted for h in harvester.list_identifiers(metadata_prefix="oai_dc")
    }
    assert len(headers) == 7 and headers[gone_id] is True
    assert harvester.get_record(identifier=gone_id, metadata_prefix="oai_dc").deleted
    live = list(harvester.list_records(metadata_prefix="oai_dc", ignore_deleted=True))
    assert len(live) == 6
