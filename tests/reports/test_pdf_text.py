"""A report PDF's text is read for search on upload; an unreadable PDF still uploads."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains

from reports import pdf as pdf_reading
from reports.models import Report
from reports.pdf import read_pdf_text
from tests import factories
from tests.admin_helpers import assert_form_error, report_form, url
from tests.pdfs import pdf_of_images, pdf_with_damaged_text, pdf_with_pages, pdf_with_text

pytestmark = pytest.mark.django_db


def test_the_text_of_each_page_is_read():
    result = read_pdf_text(io.BytesIO(pdf_with_text("Hawala banking", "Red teaming")))

    assert result.text == "Hawala banking\n\nRed teaming"
    assert result.note == "Text read for search from 2 of 2 pages."


def test_a_pdf_that_opens_without_a_password_is_read_though_encrypted():
    data = pdf_with_text("Owner restricted", owner_password="owner")

    assert read_pdf_text(io.BytesIO(data)).text == "Owner restricted"


def test_a_password_protected_pdf_has_a_note_and_no_text():
    result = read_pdf_text(io.BytesIO(pdf_with_text("Secret", user_password="letmein")))

    assert result.text == ""
    assert "encrypted with a password" in result.note


def test_an_image_only_pdf_has_a_note_and_no_text():
    result = read_pdf_text(io.BytesIO(pdf_of_images()))

    assert result.text == ""
    assert "no text could be read" in result.note


def test_a_pdf_with_damaged_pages_has_a_note_and_no_text():
    result = read_pdf_text(io.BytesIO(pdf_with_damaged_text()))

    assert result.text == ""
    assert result.note.startswith("Search cannot read this PDF")


def test_a_page_that_raises_while_read_keeps_the_pages_before_it(monkeypatch):
    pages_read = []
    original = pdf_reading.PdfReader

    class Breaking(original):
        @property
        def pages(self):
            pages = super().pages

            class Pages(list):
                def __getitem__(self, index):
                    pages_read.append(index)
                    if index == 1:
                        raise pdf_reading.PyPdfError("broken content stream")
                    return pages[index]

            return Pages(pages)

    monkeypatch.setattr(pdf_reading, "PdfReader", Breaking)
    result = read_pdf_text(io.BytesIO(pdf_with_text("First page", "Second", "Third")))

    assert result.text == "First page"
    assert "page 2 is damaged" in result.note


def test_reading_stops_at_the_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_reading, "MAX_PAGES", 3)

    result = read_pdf_text(io.BytesIO(pdf_with_pages(5)))

    assert result.text.split("\n\n") == ["page 1", "page 2", "page 3"]
    assert "from 3 of 5 pages; search reads the first 3 pages" in result.note


def test_reading_stops_at_the_time_limit():
    ticks = iter(range(0, 1000, 4))  # each page "takes" four seconds

    result = read_pdf_text(io.BytesIO(pdf_with_pages(10)), clock=lambda: next(ticks))

    assert result.text.split("\n\n") == ["page 1", "page 2", "page 3"]
    assert "reading stopped after 10 seconds" in result.note


def test_a_saved_pdf_is_read_and_a_replaced_one_read_again():
    report = factories.ReportFactory()
    report.pdf.save("first.pdf", ContentFile(pdf_with_text("First edition")))
    report.refresh_from_db()
    assert report.pdf_text == "First edition"

    report.pdf.save("second.pdf", ContentFile(pdf_with_text("Second edition")))
    report.refresh_from_db()
    assert report.pdf_text == "Second edition"

    report.pdf.delete()
    report.refresh_from_db()
    assert report.pdf_text == "" and report.pdf_text_note == ""


def test_a_curator_uploads_a_pdf_and_its_text_is_read(curator_client):
    upload = SimpleUploadedFile("gap.pdf", pdf_with_text("Mind the gap"), "application/pdf")

    response = curator_client.post(url(Report, "add"), report_form(pdf=upload), follow=True)

    report = Report.objects.get(slug="mind-the-gap")
    assert report.pdf_text == "Mind the gap"
    assertContains(response, "was added successfully")
    change_page = curator_client.get(url(Report, "change", report.pk))
    assertContains(change_page, "Text read for search from 1 of 1 page.")


@pytest.mark.parametrize(
    ("content", "note"),
    [
        (pdf_with_text("Secret", user_password="letmein"), "encrypted with a password"),
        (pdf_of_images(), "no text could be read"),
    ],
)
def test_a_pdf_whose_text_cannot_be_read_still_uploads_with_a_note(curator_client, content, note):
    upload = SimpleUploadedFile("scan.pdf", content, "application/pdf")

    response = curator_client.post(url(Report, "add"), report_form(pdf=upload), follow=True)

    report = Report.objects.get(slug="mind-the-gap")
    assert report.pdf.read() == content
    assert report.pdf_text == ""
    assertContains(response, "The PDF was saved. Search cannot read this PDF")
    assertContains(curator_client.get(url(Report, "change", report.pk)), note)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"%PDF-1.7\n" + b"\x00" * 4096,
        pdf_with_text("Cut short")[:300],
    ],
    ids=["header-only", "zeros", "truncated"],
)
def test_a_file_that_starts_like_a_pdf_but_does_not_parse_is_refused(curator_client, content):
    upload = SimpleUploadedFile("report.pdf", content, "application/pdf")

    response = curator_client.post(url(Report, "add"), report_form(pdf=upload))

    assert_form_error(response, "That file starts like a PDF but cannot be read as one")
    assert not Report.objects.exists()
