"""A report's PDF is served only while the report is public, or to staff who may view it."""

import pytest
from django.core.files.base import ContentFile

from publishing.models import Status
from tests import factories
from tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db

PDF_BYTES = pdf_with_text("A progress report on serious and organised crime")


def with_pdf(**fields):
    report = factories.ReportFactory(**fields)
    report.pdf.save("progress-report.pdf", ContentFile(PDF_BYTES))
    return report


def test_a_public_reports_pdf_downloads_as_a_pdf(client):
    report = with_pdf(slug="public-report")

    response = client.get(report.get_pdf_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="public-report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_draft_reports_pdf_is_not_found_by_the_public(client):
    report = with_pdf(status=Status.DRAFT)

    assert client.get(report.get_pdf_url()).status_code == 404


def test_the_uploaded_file_has_no_public_address(client):
    report = with_pdf(status=Status.DRAFT)

    assert client.get(f"/media/{report.pdf.name}").status_code == 404


def test_staff_who_may_view_reports_get_a_drafts_pdf_never_cached(curator_client):
    report = with_pdf(status=Status.DRAFT)

    response = curator_client.get(report.get_pdf_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_signed_in_non_staff_users_do_not_get_a_drafts_pdf(client):
    report = with_pdf(status=Status.DRAFT)
    client.force_login(factories.UserFactory(is_staff=False))

    assert client.get(report.get_pdf_url()).status_code == 404


def test_a_report_without_a_pdf_has_no_pdf_page(client):
    report = factories.ReportFactory()

    assert client.get(report.get_pdf_url()).status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(client):
    report = with_pdf()
    report.pdf.storage.delete(report.pdf.name)

    assert client.get(report.get_pdf_url()).status_code == 404


def test_behind_nginx_the_view_checks_and_hands_the_file_over(client, settings):
    settings.EMPAC_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    report = with_pdf()
    draft = with_pdf(status=Status.DRAFT)

    response = client.get(report.get_pdf_url())

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{report.pdf.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b""
    assert client.get(draft.get_pdf_url()).status_code == 404


def test_the_pdf_page_only_answers_reads(client):
    report = with_pdf()

    assert client.post(report.get_pdf_url()).status_code == 405
