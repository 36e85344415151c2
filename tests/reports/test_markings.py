"""Handling markings: OFFICIAL or OFFICIAL-SENSITIVE, a recorded release decision, never SECRET.

Only OFFICIAL material cleared for release is published, and the database says so;
re-marking a published report takes it off every public surface in the same save;
files not cleared are only for signed-in staff.
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from publishing.models import REFUSED_MESSAGE, Marking, Status
from reports.models import KnowledgeGap, Report
from tests import factories
from tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_published_official_sensitive_report():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ReportFactory(status=Status.PUBLISHED, marking=Marking.OFFICIAL_SENSITIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ReportFactory(status=Status.PUBLISHED, cleared_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.GapAnalysisFactory(status=Status.PUBLISHED, cleared_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=factories.ReportFactory(status=Status.DRAFT).pk).update(
            marking="SECRET"
        )
    factories.ReportFactory(status=Status.DRAFT, marking=Marking.OFFICIAL_SENSITIVE)


def report_form(report, **changes):
    data = {
        "title": report.title,
        "slug": report.slug,
        "kind": report.kind,
        "status": report.status,
        "marking": report.marking,
        "marking_descriptor": report.marking_descriptor,
        "pdf_marking": report.pdf_marking,
        "pdf_marking_descriptor": report.pdf_marking_descriptor,
        "published_on": report.published_on.isoformat(),
        "date_precision": report.date_precision,
        "summary": report.summary,
        "body": report.body,
        "recommendations-TOTAL_FORMS": 0,
        "recommendations-INITIAL_FORMS": 0,
        "alignment_rows-TOTAL_FORMS": 0,
        "alignment_rows-INITIAL_FORMS": 0,
        "publishing-provenance-content_type-object_id-TOTAL_FORMS": 0,
        "publishing-provenance-content_type-object_id-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("marking", ["SECRET", "TOP SECRET"])
def test_the_admin_refuses_secret_and_above_saying_this_system_must_not_hold_it(
    curator_client, marking
):
    report = factories.ReportFactory(status=Status.DRAFT)
    url = reverse("admin:reports_report_change", args=[report.pk])
    response = curator_client.post(url, report_form(report, marking=marking))
    assert response.status_code == 200
    assert "This system must not hold material marked SECRET or above" in (
        response.content.decode()
    )
    assert REFUSED_MESSAGE.split(".")[0] in response.content.decode()
    report.refresh_from_db()
    assert report.marking == Marking.OFFICIAL


def test_re_marking_a_published_report_takes_it_off_every_public_page_and_count(
    client, curator_client
):
    theme = factories.ThemeFactory()
    report = factories.ReportFactory(
        title="Sensitive after all", primary_theme=theme, themes=[theme]
    )
    factories.KnowledgeGapFactory(
        analysis=None, report=report, question="An open question raised by it?"
    )
    pages = [
        reverse("reports:report-list"),
        theme.get_absolute_url(),
        reverse("browse:home"),
        reverse("feeds:reports") if _has_url("feeds:reports") else reverse("browse:home"),
        reverse("search:results") + "?q=sensitive",
    ]
    for url in pages:
        client.get(url)  # now in the page cache
    assert client.get(report.get_absolute_url()).status_code == 200

    url = reverse("admin:reports_report_change", args=[report.pk])
    response = curator_client.post(
        url,
        report_form(report, marking=Marking.OFFICIAL_SENSITIVE, marking_descriptor="PERSONAL"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.status == Status.WITHDRAWN
    assert report.cleared_at is None

    client.logout()
    for url in pages:
        assert "Sensitive after all" not in client.get(url).content.decode(), url
    assert client.get(report.get_absolute_url()).status_code == 410
    assert not Report.objects.published().exists()
    assert not KnowledgeGap.objects.published().exists()
    api = client.get("/api/reports/")
    if api.status_code == 200:
        assert "Sensitive after all" not in api.content.decode()


def _has_url(name) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_a_sensitive_knowledge_gap_is_not_public():
    gap = factories.KnowledgeGapFactory()
    assert list(KnowledgeGap.objects.published()) == [gap]
    gap.marking = Marking.OFFICIAL_SENSITIVE
    gap.save()
    gap.refresh_from_db()
    assert gap.cleared_at is None
    assert not KnowledgeGap.objects.published().exists()


def test_a_file_not_cleared_is_for_staff_only(client, curator):
    from django.core.files.base import ContentFile

    report = factories.ReportFactory(pdf_cleared_at=None)
    report.pdf.save("report.pdf", ContentFile(pdf_with_text("Private findings")))
    url = report.get_pdf_url()
    assert client.get(url).status_code == 404
    assert "/pdf/" not in client.get(report.get_absolute_url()).content.decode()

    client.force_login(curator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    # Cleared, the public may have it.
    client.logout()
    report.pdf_cleared_at = report.updated_at
    report.save()
    assert client.get(url).status_code == 200


def test_re_marking_a_file_undoes_its_clearance():
    report = factories.ReportFactory()
    report.pdf_marking = Marking.OFFICIAL_SENSITIVE
    report.save()
    report.refresh_from_db()
    assert report.pdf_cleared_at is None
    assert report.status == Status.PUBLISHED  # the report itself is untouched


def test_editor_clears_for_release_and_it_is_recorded(editor_client, editor):
    report = factories.ReportFactory(status=Status.IN_REVIEW, cleared_at=None)
    editor_client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "clear_for_release", "index": "0", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.cleared_by == editor and report.cleared_at is not None
    page = editor_client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert f"By {editor.username}" in page.content.decode()


def test_a_curator_cannot_clear_for_release(curator_client):
    report = factories.ReportFactory(status=Status.IN_REVIEW, cleared_at=None)
    curator_client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "clear_for_release", "index": "0", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.cleared_at is None


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_staff_see_the_marking_as_a_banner_on_every_admin_page_of_the_item(curator_client, view):
    report = factories.ReportFactory(
        status=Status.DRAFT, marking=Marking.OFFICIAL_SENSITIVE, marking_descriptor="PERSONAL"
    )
    response = curator_client.get(reverse(f"admin:reports_report_{view}", args=[report.pk]))
    assert response.status_code == 200
    assert "Marking: OFFICIAL-SENSITIVE PERSONAL" in response.content.decode()


def test_existing_published_content_was_cleared_by_the_migration(db):
    # Seeded content keeps showing: see tests/content for the seed; here the rule itself.
    report = factories.ReportFactory()
    assert report.is_cleared
