"""The admin of reports, their recommendations and files, gap analyses and knowledge gaps:
lists, filters and bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from collaboration.models import Organisation
from publishing.models import Status
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report
from tests import factories
from tests.admin_helpers import (
    PDF_BYTES,
    action,
    assert_form_error,
    inline_management,
    messages_of,
    recommendation_fields,
    report_form,
    shown,
    url,
)

pytestmark = pytest.mark.django_db


def test_publishing_a_gap_analysis_of_a_draft_report_warns_it_stays_hidden(editor_client):
    hidden = factories.GapAnalysisFactory(
        status=Status.DRAFT, report=factories.ReportFactory(status=Status.DRAFT)
    )
    shown_now = factories.GapAnalysisFactory(status=Status.DRAFT)
    response = action(editor_client, GapAnalysis, "publish", [hidden, shown_now])
    assert messages_of(response) == [
        "2 gap analyses published.",
        "1 of the selected gap analyses still do not show on the site: their report is a "
        "draft. Publish the report too.",
    ]
    assert list(GapAnalysis.objects.published()) == [shown_now]


def test_autocomplete_finds_people_to_name_as_report_authors(curator_client):
    ada = factories.PersonFactory(name="Ada Lovelace", status=Status.DRAFT)
    factories.PersonFactory(name="Grace Hopper")
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "reports", "model_name": "report", "field_name": "authors", "term": "Ada"},
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(ada.pk)]


def test_publishing_saves_each_report_so_save_signals_fire(editor_client):
    drafts = factories.ReportFactory.create_batch(3, status=Status.DRAFT)
    saved = []

    def record(sender, instance, **kwargs):
        saved.append((instance.pk, instance.status))

    post_save.connect(record, sender=Report)
    try:
        action(editor_client, Report, "publish", drafts)
    finally:
        post_save.disconnect(record, sender=Report)
    assert sorted(saved) == sorted((report.pk, Status.PUBLISHED) for report in drafts)


def test_knowledge_gap_status_can_be_changed_from_the_gap_list(curator_client):
    # A draft analysis's gap: a public one's list edit waits (test_child_review.py).
    gap = factories.KnowledgeGapFactory(
        status=KnowledgeGap.Status.IDENTIFIED,
        analysis=factories.GapAnalysisFactory(status=Status.DRAFT),
    )
    data = {
        **inline_management("form", total=1, initial=1),
        "form-0-id": str(gap.pk),
        "form-0-status": KnowledgeGap.Status.BEING_RESEARCHED,
        "_save": "Save",
    }
    response = curator_client.post(url(KnowledgeGap), data)
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.status == KnowledgeGap.Status.BEING_RESEARCHED


def test_reports_filter_by_year_kind_status_theme_and_organisation(curator_client):
    theme = factories.ThemeFactory()
    police = factories.OrganisationFactory(kind=Organisation.Kind.POLICE_FORCE)
    news_2021 = factories.ReportFactory(
        kind=Report.Kind.NEWS, published_on=datetime.date(2021, 2, 1), status=Status.DRAFT
    )
    progress_2020 = factories.ReportFactory(published_on=datetime.date(2020, 11, 1))
    progress_2020.themes.add(theme)
    progress_2020.organisations.add(police)
    press_2015 = factories.ReportFactory(
        kind=Report.Kind.PRESS, published_on=datetime.date(2015, 12, 2)
    )

    years = curator_client.get(url(Report))
    assert "?year=2015" in years.text and "?year=2021" in years.text

    def listed(**query):
        return set(shown(curator_client.get(url(Report), query)))

    assert listed(year="2020") == {progress_2020}
    assert listed(year="2015") == {press_2015}
    assert listed(kind__exact="news") == {news_2021}
    assert listed(status__exact="draft") == {news_2021}
    assert listed(themes__id__exact=str(theme.pk)) == {progress_2020}
    assert listed(organisations__id__exact=str(police.pk)) == {progress_2020}


def test_report_search_finds_by_title_and_tag(curator_client):
    gap = factories.ReportFactory(title="Policing organisational adaptability")
    tagged = factories.ReportFactory(title="Community resilience", tags=["red teaming"])
    factories.ReportFactory(title="Interim report")

    def found(q):
        return set(shown(curator_client.get(url(Report), {"q": q})))

    assert found("adaptability") == {gap}
    assert found("red teaming") == {tagged}


def test_knowledge_gaps_filter_by_status_and_theme(curator_client):
    theme = factories.ThemeFactory()
    open_gap = factories.KnowledgeGapFactory(theme=theme)
    factories.KnowledgeGapFactory(status=KnowledgeGap.Status.ANSWERED)
    assert shown(curator_client.get(url(KnowledgeGap), {"status__exact": "identified"})) == [
        open_gap
    ]
    assert shown(curator_client.get(url(KnowledgeGap), {"theme__id__exact": theme.pk})) == [
        open_gap
    ]


def test_gap_analyses_are_found_by_one_of_their_questions(curator_client):
    analysis = factories.GapAnalysisFactory(title="Mind the gap")
    factories.KnowledgeGapFactory(analysis=analysis, question="How do OCGs adapt?")
    factories.KnowledgeGapFactory(analysis=analysis, question="How do OCGs recruit?")
    factories.GapAnalysisFactory(title="Another")
    response = curator_client.get(url(GapAnalysis), {"q": "OCGs"})
    assert shown(response) == [analysis]
    assert shown(response)[0].gap_count == 2


def test_duplicate_report_slug_is_a_form_error(curator_client):
    factories.ReportFactory(slug="mind-the-gap")
    response = curator_client.post(url(Report, "add"), report_form())
    assert_form_error(response, "Report with this Slug already exists.")
    assert Report.objects.count() == 1


def test_a_good_pdf_is_stored_with_its_size(curator_client):
    pdf = SimpleUploadedFile("mind-the-gap.pdf", PDF_BYTES, "application/pdf")
    response = curator_client.post(url(Report, "add"), report_form(pdf=pdf))
    assert response.status_code == 302
    report = Report.objects.get(slug="mind-the-gap")
    assert report.pdf_size == len(PDF_BYTES)
    change_page = curator_client.get(url(Report, "change", report.pk))
    assert filesizeformat(len(PDF_BYTES)) in change_page.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a program, not a document", "That file is not a PDF"),
        ("report.docx", PDF_BYTES, "Upload a PDF file"),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_a_form_error(curator_client, name, content, message):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = curator_client.post(url(Report, "add"), report_form(pdf=upload))
    assert_form_error(response, message)
    assert not Report.objects.exists()


def test_a_bad_pdf_on_an_existing_report_keeps_the_report_as_it_was(curator_client):
    # A draft: a curator's edit of a published report waits for review (test_review.py).
    report = factories.ReportFactory(title="Before", status=Status.DRAFT)
    upload = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = curator_client.post(
        url(Report, "change", report.pk), report_form(report, title="After", pdf=upload)
    )
    assert_form_error(response, "That file is not a PDF")
    report.refresh_from_db()
    assert report.title == "Before"
    assert not report.pdf


def test_two_new_recommendations_with_one_number_is_a_form_error(curator_client):
    data = report_form(
        **inline_management("recommendations", total=2),
        **recommendation_fields(0, 1, "Red teaming"),
        **recommendation_fields(1, 1, "Horizon scanning"),
    )
    response = curator_client.post(url(Report, "add"), data)
    assert_form_error(response, "Two recommendations have the same number")
    assert not Report.objects.exists()
    assert not Recommendation.objects.exists()


def test_reusing_an_existing_recommendation_number_is_a_form_error(curator_client):
    # A draft: a curator's edit of a published report waits for review (test_review.py).
    report = factories.ReportFactory(title="Before", status=Status.DRAFT)
    first = factories.RecommendationFactory(report=report, number=1, heading="Red teaming")
    data = report_form(
        report,
        title="After",
        **inline_management("recommendations", total=2, initial=1),
        **recommendation_fields(0, 1, "Red teaming", pk=first.pk),
        **recommendation_fields(1, 1, "Horizon scanning"),
    )
    response = curator_client.post(url(Report, "change", report.pk), data)
    assert_form_error(response, "Two recommendations have the same number")
    report.refresh_from_db()
    assert report.title == "Before"
    assert list(report.recommendations.values_list("heading", flat=True)) == ["Red teaming"]


def test_standalone_recommendation_with_a_taken_number_is_a_form_error(curator_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    factories.RecommendationFactory(report=report, number=3)
    data = {"report": str(report.pk), "number": "3", "heading": "Again", "explanation": ""}
    response = curator_client.post(url(Recommendation, "add"), data)
    assert_form_error(response, "This report already has a recommendation with that number.")
    assert report.recommendations.count() == 1


def test_saving_a_report_adds_its_primary_theme_to_its_themes(curator_client):
    primary, other = factories.ThemeFactory.create_batch(2)
    data = report_form(primary_theme=str(primary.pk), themes=[str(other.pk)])
    assert curator_client.post(url(Report, "add"), data).status_code == 302
    report = Report.objects.get(slug="mind-the-gap")
    assert set(report.themes.all()) == {primary, other}


def test_a_report_whose_stored_pdf_has_gone_missing_can_still_be_edited(curator_client):
    # A draft: a curator's edit of a published report waits for review (test_review.py).
    report = factories.ReportFactory(title="Before", status=Status.DRAFT)
    Report.objects.filter(pk=report.pk).update(pdf="reports/2020/gone.pdf")
    response = curator_client.post(
        url(Report, "change", report.pk), report_form(report, title="After")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "After"
    assert report.pdf.name == "reports/2020/gone.pdf"


def test_a_stored_pdf_is_kept_when_other_fields_change(curator_client):
    pdf = SimpleUploadedFile("mind-the-gap.pdf", PDF_BYTES, "application/pdf")
    curator_client.post(url(Report, "add"), report_form(pdf=pdf))
    report = Report.objects.get(slug="mind-the-gap")
    response = curator_client.post(
        url(Report, "change", report.pk), report_form(report, title="Renamed")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Renamed"
    assert report.pdf.read() == PDF_BYTES
    assert report.pdf_size == len(PDF_BYTES)
