"""Where a recommendation stands reads the same on every page that shows it.

The block (reports.progress) is built from a model instance on a report's page and on
a recommendation's page, and from plain values on /recommendations/: the two sources
must not drift apart, and every value in it is escaped.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Recommendation
from reports.progress import STATUS_TAGS, status_tag_class
from tests import factories

pytestmark = pytest.mark.django_db

BLOCK = re.compile(r'<dl class="govuk-summary-list govuk-summary-list--no-border.*?</dl>', re.S)


def blocks(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return BLOCK.findall(response.content.decode())


def pages_of(recommendation) -> dict[str, str]:
    report = recommendation.report
    return {
        "report page": report.get_absolute_url(),
        "recommendation page": reverse(
            "impact:recommendation-detail",
            kwargs={"slug": report.slug, "number": recommendation.number},
        ),
        "progress list": reverse("impact:recommendation-list"),
    }


def test_the_block_is_the_same_on_the_report_the_recommendation_and_the_list(
    client, published_report
):
    recommendation = factories.RecommendationFactory(
        report=published_report,
        heading="Share intelligence",
        status=Recommendation.Status.IN_PROGRESS,
        owner_organisation=factories.OrganisationFactory(name='Force <b>"A"</b> & Co'),
        owner_person=factories.PersonFactory(honorific="Dr", name="Ann <i>Lee</i>"),
        target_date=datetime.date(2020, 1, 31),
    )
    factories.RecommendationUpdateFactory(
        recommendation=recommendation, happened_on=datetime.date(2024, 5, 1), summary="Older."
    )
    newest = factories.RecommendationUpdateFactory(
        recommendation=recommendation,
        happened_on=datetime.date(2025, 3, 1),
        summary="Trial <script>alert(1)</script> begun",
        evidence_url="https://example.org/minutes?a=1&b=2",
        evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )

    found = {name: blocks(client, url) for name, url in pages_of(recommendation).items()}

    assert all(len(found_here) == 1 for found_here in found.values()), found
    block = found["report page"][0]
    assert found["recommendation page"] == [block] and found["progress list"] == [block]
    assert '<strong class="govuk-tag">In progress</strong>' in block
    assert "Force &lt;b&gt;&quot;A&quot;&lt;/b&gt; &amp; Co</a>, " in block
    assert "Dr Ann &lt;i&gt;Lee&lt;/i&gt;</a>" in block
    assert '<time datetime="2020-01-31">31 January 2020</time>' in block
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in block
    assert '<time datetime="2025-03-01">1 March 2025</time>: Trial &lt;script&gt;' in block
    assert "Older." not in block
    assert 'href="https://example.org/minutes?a=1&amp;b=2">Evidence<span' in block
    assert f'href="{newest.get_evidence_file_url()}" download>Evidence file' in block
    assert "(minutes.pdf)</a>" in block
    assert "<script>" not in block


def test_a_recommendation_with_nothing_recorded_says_so_the_same_everywhere(
    client, published_report
):
    recommendation = factories.RecommendationFactory(
        report=published_report,
        # A draft owner is not named, and counts as none recorded.
        owner_organisation=factories.OrganisationFactory(status="draft", name="Hidden Force"),
    )
    factories.RecommendationUpdateFactory(recommendation=recommendation, status="draft")

    found = {name: blocks(client, url) for name, url in pages_of(recommendation).items()}

    block = found["report page"][0]
    assert found["recommendation page"] == [block] and found["progress list"] == [block]
    assert '<strong class="govuk-tag govuk-tag--grey">Not recorded</strong>' in block
    assert "Hidden Force" not in block
    assert block.count("Not recorded") == 3  # status, owner, target date
    assert "None recorded" in block
    assert "Overdue" not in block


def test_every_status_but_not_recorded_has_a_tag_colour_of_its_own():
    recorded = set(Recommendation.Status.values) - {Recommendation.Status.NOT_RECORDED}
    assert set(STATUS_TAGS) == recorded
    classes = [status_tag_class(status) for status in Recommendation.Status.values]
    assert len(set(classes)) == len(classes)
