import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from publishing.models import Status
from reports.models import GapAnalysis, KnowledgeGap, Report
from tests import factories
from tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db


def test_published_reports_exclude_drafts(published_report, draft_report):
    assert list(Report.objects.published()) == [published_report]


def test_display_date_honours_precision():
    report = factories.ReportFactory.build(published_on=datetime.date(2020, 12, 1))
    report.date_precision = Report.DatePrecision.MONTH
    assert report.display_date == "December 2020"
    report.date_precision = Report.DatePrecision.YEAR
    assert report.display_date == "2020"
    report.date_precision = Report.DatePrecision.DAY
    assert report.display_date == "1 December 2020"


def test_gap_analysis_of_a_draft_report_is_not_public():
    draft = factories.ReportFactory(status=Status.DRAFT)
    hidden = factories.GapAnalysisFactory(report=draft)
    shown = factories.GapAnalysisFactory()
    factories.KnowledgeGapFactory(analysis=hidden)
    visible_gap = factories.KnowledgeGapFactory(analysis=shown)
    assert list(GapAnalysis.objects.published()) == [shown]
    assert list(KnowledgeGap.objects.published()) == [visible_gap]


def test_open_knowledge_gaps_exclude_answered_and_superseded():
    open_gap = factories.KnowledgeGapFactory(status=KnowledgeGap.Status.BEING_RESEARCHED)
    factories.KnowledgeGapFactory(status=KnowledgeGap.Status.ANSWERED)
    factories.KnowledgeGapFactory(status=KnowledgeGap.Status.SUPERSEDED)
    assert list(KnowledgeGap.objects.open()) == [open_gap]


def test_a_file_that_is_not_a_pdf_is_rejected():
    report = factories.ReportFactory()
    report.pdf = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        report.full_clean()
    assert "not a PDF" in str(excinfo.value.message_dict["pdf"])


def test_a_real_pdf_is_accepted_and_its_size_recorded():
    report = factories.ReportFactory()
    content = pdf_with_text("Community resilience")
    report.pdf = SimpleUploadedFile("report.pdf", content, "application/pdf")
    report.full_clean()
    report.save()
    report.refresh_from_db()
    assert report.pdf_size == len(content)
