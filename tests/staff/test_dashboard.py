"""The admin home says what waits: registrations to follow up, drafts, locks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_home_counts_registrations_to_follow_up(curator_client):
    factories.InterestRegistrationFactory.create_batch(3)
    contacted = factories.InterestRegistrationFactory(name="Dr Contacted")
    contacted.status = contacted.Status.CONTACTED
    contacted.save()
    oldest = factories.InterestRegistrationFactory(name="Dr Waiting Longest")
    type(oldest).objects.filter(pk=oldest.pk).update(created_at="2020-01-01T00:00:00Z")
    html = home(curator_client)
    assert "What waits" in html
    assert 'status__exact=new">New, not yet contacted</a>: <strong>4</strong>' in html
    assert "Contacted, not yet matched or closed</a>: <strong>1</strong>" in html
    assert "Dr Waiting Longest" in html


def test_the_admin_home_counts_what_is_not_yet_public(curator_client):
    # With the review workflow, what waits is what is in review.
    factories.ReportFactory.create_batch(2, status=Status.IN_REVIEW)
    factories.ReportFactory(status=Status.DRAFT)
    factories.ReportFactory(status=Status.PUBLISHED)
    html = home(curator_client)
    assert 'reports/report/?status__exact=in_review">Reports</a>: <strong>2</strong>' in html


def test_the_admin_home_counts_knowledge_gaps_sent_for_review(curator_client):
    factories.KnowledgeGapFactory(analysis=None, workflow_status=Status.IN_REVIEW)
    factories.KnowledgeGapFactory(analysis=None, workflow_status=Status.DRAFT)
    html = home(curator_client)
    link = 'reports/knowledgegap/?workflow_status__exact=in_review">Knowledge gaps</a>'
    assert f"{link}: <strong>1</strong>" in html


def test_the_admin_home_offers_two_factor_set_up(curator_client):
    assert "Two-factor sign-in is off" in home(curator_client)


def test_the_admin_home_costs_the_same_queries_however_many_rows(curator_client):
    def count():
        with CaptureQueriesContext(connection) as captured:
            home(curator_client)
        return len(captured)

    factories.InterestRegistrationFactory()
    factories.ReportFactory(status=Status.DRAFT)
    few = count()
    factories.InterestRegistrationFactory.create_batch(12)
    factories.ReportFactory.create_batch(8, status=Status.DRAFT)
    assert count() == few
