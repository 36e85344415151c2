"""The curator admin: what a curator can open, change, publish, and what bad input they get back."""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import post_save
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factory.django import DjangoModelFactory

from collaboration.models import Organisation, Person, Role, Theme
from publishing.models import Status
from reports.models import GapAnalysis, KnowledgeGap, Recommendation, Report
from tests import factories
from tests.pdfs import pdf_with_text

pytestmark = pytest.mark.django_db

PDF_BYTES = pdf_with_text("Mind the gap between policing and organised crime groups")

# Every model a curator may reach: all of admin.site in the curated apps (not user accounts,
# nor the task queue, which is the operators'). Models that those apps register later are
# picked up here without editing this file.
CURATED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in settings.CURATED_APPS),
    key=lambda model: model._meta.label,
)
FACTORIES = {
    obj._meta.model: obj
    for obj in vars(factories).values()
    if isinstance(obj, type) and issubclass(obj, DjangoModelFactory) and obj._meta.model
}
PUBLISHABLE_FACTORIES = [
    factories.ThemeFactory,
    factories.OrganisationFactory,
    factories.PersonFactory,
    factories.ReportFactory,
    factories.GapAnalysisFactory,
]


def url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def ids(model):
    return model._meta.label


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def shown(response):
    """The objects listed on a changelist page."""
    return list(response.context["cl"].result_list)


def make_rows(model, count):
    """Rows for a changelist, each with the related records its columns read."""
    rows = FACTORIES[model].create_batch(count)
    for row in rows:
        if model is Person:
            factories.RoleFactory(person=row, kind=Role.Kind.ACADEMIC_LEAD)
        if model is GapAnalysis:
            factories.KnowledgeGapFactory(analysis=row)
    return rows


# The provenance inline on every content change page (a generic inline's prefix).
PROVENANCE = "publishing-provenance-content_type-object_id"


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def report_form(report=None, **fields):
    data = {
        "title": "Mind the gap",
        "slug": "mind-the-gap",
        "kind": Report.Kind.PROGRESS,
        "status": Status.DRAFT,
        "published_on": "2020-12-01",
        "date_precision": Report.DatePrecision.MONTH,
        "summary": "",
        "body": "",
        "source_url": "",
        "provenance": "",
        "tags": "",
        **inline_management("recommendations"),
        **inline_management("alignment_rows"),
        **inline_management(PROVENANCE),
    }
    if report is not None:
        data.update(
            title=report.title,
            slug=report.slug,
            kind=report.kind,
            status=report.status,
            published_on=report.published_on.isoformat(),
        )
    data.update(fields)
    return data


def person_form(person=None, **fields):
    data = {
        "honorific": "Dr",
        "name": "Ada Example",
        "slug": "ada-example",
        "organisation": "",
        "biography": "",
        # A curator adds drafts; publishing is an editor's move (publishing.workflow).
        "status": Status.DRAFT,
        **inline_management("roles"),
        **inline_management(PROVENANCE),
    }
    if person is not None:
        data.update(
            name=person.name, slug=person.slug, honorific=person.honorific, status=person.status
        )
    data.update(fields)
    return data


def role_fields(prefix="", **fields):
    data = {
        "kind": Role.Kind.RESEARCHER,
        "title": "",
        "organisation": "",
        "theme": "",
        "start_date": "",
        "end_date": "",
        "dates_note": "",
        "source": "",
        "latest_source": "",
        **fields,
    }
    return {f"{prefix}{key}": value for key, value in data.items()}


def assert_form_error(response, message):
    """The admin page came back with the form, showing the error, rather than saving."""
    assert response.status_code == 200
    assert response.context["errors"], "no form errors on the page"
    assert message in response.text


# Access: what a curator can and cannot open.


# Bookkeeping rows, not content: nothing for a curator to edit.
def test_every_content_model_can_be_edited_in_the_admin():
    inlined = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    # Kept by reports.counts; a curator changes it by changing reports.
    bookkeeping = {apps.get_model("reports", "ThemeReportCount")}
    for label in ("collaboration", "reports"):
        for model in apps.get_app_config(label).get_models():
            if model in bookkeeping:
                continue
            assert model in admin.site._registry or model in inlined, model._meta.label


@pytest.mark.parametrize("model", CURATED, ids=ids)
def test_curator_opens_changelist_add_and_change_pages(curator, curator_client, model):
    rows = make_rows(model, 2) if model in FACTORIES else []

    response = curator_client.get(url(model))
    assert response.status_code == 200
    assert len(shown(response)) == len(model._default_manager.all())

    request = RequestFactory().get("/")
    request.user = curator
    can_add = admin.site._registry[model].has_add_permission(request)
    assert curator_client.get(url(model, "add")).status_code == (200 if can_add else 403)

    if rows:
        assert curator_client.get(url(model, "change", rows[0].pk)).status_code == 200


def test_the_task_queue_is_for_superusers_not_curators(curator_client, admin_client):
    path = "/admin/django_tasks_database/dbtaskresult/"

    assert curator_client.get(path).status_code == 403
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/"])
def test_curator_cannot_manage_user_accounts(curator_client, path):
    assert curator_client.get(path).status_code == 403
    assert curator_client.get(f"{path}add/").status_code == 403


def test_curator_admin_index_offers_content_but_not_user_accounts(curator_client):
    response = curator_client.get("/admin/")
    assert response.status_code == 200
    assert reverse("admin:reports_report_changelist") in response.text
    assert "/admin/auth/user/" not in response.text


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(url(Report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Publish and unpublish.


def action(client, model, name, objects):
    return client.post(
        url(model),
        {"action": name, "index": "0", "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.mark.parametrize("factory", PUBLISHABLE_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_publish_and_unpublish_actions_change_status_and_say_how_many(editor_client, factory):
    model = factory._meta.model
    drafts = factory.create_batch(2, status=Status.DRAFT)
    already = factory(status=Status.PUBLISHED)
    opts = model._meta

    response = action(editor_client, model, "publish", [*drafts, already])
    assert response.status_code == 200
    assert f"2 {opts.verbose_name_plural} published." in messages_of(response)
    assert set(model.objects.filter(status=Status.PUBLISHED)) == {*drafts, already}

    response = action(editor_client, model, "unpublish", [drafts[0]])
    assert f"1 {opts.verbose_name} unpublished." in messages_of(response)
    drafts[0].refresh_from_db()
    assert drafts[0].status == Status.DRAFT
    assert set(model.objects.published()) == {drafts[1], already}


def test_publishing_what_is_already_published_says_nothing_changed(editor_client):
    report = factories.ReportFactory(status=Status.PUBLISHED)
    response = action(editor_client, Report, "publish", [report])
    assert "Nothing changed: the selected reports were already published." in messages_of(response)


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


def test_publishing_moves_updated_at_forward(editor_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    Report.objects.filter(pk=report.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    action(editor_client, Report, "publish", [report])
    report.refresh_from_db()
    assert report.updated_at.year > 2020


def test_knowledge_gap_status_can_be_changed_from_the_gap_list(curator_client):
    gap = factories.KnowledgeGapFactory(status=KnowledgeGap.Status.IDENTIFIED)
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


# Search and filters.


@pytest.mark.parametrize("model", CURATED, ids=ids)
def test_every_filter_choice_and_a_search_answer(curator_client, model):
    if model in FACTORIES:
        make_rows(model, 2)
    response = curator_client.get(url(model))
    links = [
        choice["query_string"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    ]
    for query in links:
        assert curator_client.get(url(model) + query).status_code == 200, query
    if admin.site._registry[model].search_fields:
        assert curator_client.get(url(model), {"q": "gap 2020"}).status_code == 200


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


def test_people_filter_by_role_and_search_by_organisation(curator_client):
    dmu = factories.OrganisationFactory(name="De Montfort University", short_name="DMU")
    academic = factories.PersonFactory(organisation=dmu)
    factories.RoleFactory(person=academic, kind=Role.Kind.ACADEMIC_LEAD)
    officer = factories.PersonFactory()
    factories.RoleFactory(person=officer, kind=Role.Kind.OPERATIONAL_LEAD)

    by_role = curator_client.get(url(Person), {"roles__kind": Role.Kind.OPERATIONAL_LEAD})
    assert shown(by_role) == [officer]
    assert shown(curator_client.get(url(Person), {"q": "DMU"})) == [academic]


def test_roles_filter_current_and_past(curator_client):
    today = datetime.date.today()
    earlier = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD,
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=300),
    )
    now = factories.RoleFactory(
        kind=Role.Kind.OPERATIONAL_LEAD, start_date=today - datetime.timedelta(days=300)
    )
    assert shown(curator_client.get(url(Role), {"held": "current"})) == [now]
    assert shown(curator_client.get(url(Role), {"held": "past"})) == [earlier]


def test_people_list_shows_which_roles_are_past(curator_client):
    person = factories.PersonFactory()
    factories.RoleFactory(
        person=person,
        kind=Role.Kind.OPERATIONAL_LEAD,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 6, 1),
    )
    factories.RoleFactory(person=person, kind=Role.Kind.STRATEGIC_LEAD)
    response = curator_client.get(url(Person))
    assert "Strategic lead, Operational lead (past)" in response.text


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


# Query counts.


@pytest.mark.parametrize("model", [m for m in CURATED if m in FACTORIES], ids=ids)
def test_changelist_query_count_does_not_grow_with_rows(
    curator_client, django_assert_max_num_queries, model
):
    make_rows(model, 2)
    curator_client.get(url(model))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert curator_client.get(url(model)).status_code == 200

    make_rows(model, 15)
    with django_assert_max_num_queries(len(few)):
        response = curator_client.get(url(model))
    assert len(shown(response)) == model._default_manager.count()


# Bad input gets a form error, and nothing is saved.


def test_duplicate_theme_slug_is_a_form_error(curator_client):
    factories.ThemeFactory(slug="international-links")
    data = {
        "position": "7",
        "short_name": "International links",
        "full_name": "Understanding international links",
        "alternative_wording": "",
        "slug": "international-links",
        "description": "",
        "status": Status.DRAFT,
    }
    response = curator_client.post(url(Theme, "add"), data)
    assert_form_error(response, "Theme with this Slug already exists.")
    assert Theme.objects.count() == 1


def test_duplicate_report_slug_is_a_form_error(curator_client):
    factories.ReportFactory(slug="mind-the-gap")
    response = curator_client.post(url(Report, "add"), report_form())
    assert_form_error(response, "Report with this Slug already exists.")
    assert Report.objects.count() == 1


def test_changing_a_slug_to_one_in_use_is_a_form_error(curator_client):
    factories.PersonFactory(slug="taken")
    person = factories.PersonFactory()
    response = curator_client.post(
        url(Person, "change", person.pk), person_form(person, slug="taken")
    )
    assert_form_error(response, "Person with this Slug already exists.")
    person.refresh_from_db()
    assert person.slug != "taken"


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
    report = factories.ReportFactory(title="Before")
    upload = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = curator_client.post(
        url(Report, "change", report.pk), report_form(report, title="After", pdf=upload)
    )
    assert_form_error(response, "That file is not a PDF")
    report.refresh_from_db()
    assert report.title == "Before"
    assert not report.pdf


def test_role_ending_before_it_starts_is_a_form_error(curator_client):
    person = factories.PersonFactory()
    data = {
        "person": str(person.pk),
        **role_fields(start_date="2021-02-01", end_date="2020-12-01"),
    }
    response = curator_client.post(url(Role, "add"), data)
    assert_form_error(response, "The end date must be on or after the start date.")
    assert not Role.objects.exists()


def test_role_ending_before_it_starts_in_the_person_page_is_a_form_error(curator_client):
    person = factories.PersonFactory(name="Before")
    data = person_form(
        person,
        name="After",
        **inline_management("roles", total=1),
        **role_fields("roles-0-", start_date="2021-02-01", end_date="2020-12-01"),
    )
    response = curator_client.post(url(Person, "change", person.pk), data)
    assert_form_error(response, "The end date must be on or after the start date.")
    person.refresh_from_db()
    assert person.name == "Before"
    assert not person.roles.exists()


def test_theme_lead_without_a_theme_is_a_form_error(curator_client):
    data = person_form(
        **inline_management("roles", total=1),
        **role_fields("roles-0-", kind=Role.Kind.THEME_LEAD),
    )
    response = curator_client.post(url(Person, "add"), data)
    assert_form_error(response, "A theme lead needs a theme.")
    assert not Person.objects.exists()


def test_a_person_with_dated_roles_is_saved(curator_client):
    theme = factories.ThemeFactory()
    data = person_form(
        **inline_management("roles", total=2),
        **role_fields("roles-0-", kind=Role.Kind.THEME_LEAD, theme=str(theme.pk)),
        **role_fields(
            "roles-1-",
            kind=Role.Kind.OPERATIONAL_LEAD,
            start_date="2019-01-01",
            end_date="2020-06-30",
        ),
    )
    response = curator_client.post(url(Person, "add"), data)
    assert response.status_code == 302
    person = Person.objects.get(slug="ada-example")
    assert {(r.kind, r.theme) for r in person.roles.all()} == {
        (Role.Kind.THEME_LEAD, theme),
        (Role.Kind.OPERATIONAL_LEAD, None),
    }


def recommendation_fields(index, number, heading, pk=""):
    prefix = f"recommendations-{index}-"
    return {
        f"{prefix}id": str(pk),
        f"{prefix}number": str(number),
        f"{prefix}heading": heading,
        f"{prefix}explanation": "",
        # The inline always shows these; "not recorded" is what a new one starts as.
        f"{prefix}status": "not_recorded",
        f"{prefix}owner_organisation": "",
        f"{prefix}owner_person": "",
        f"{prefix}target_date": "",
    }


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
    report = factories.ReportFactory(title="Before")
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
    report = factories.ReportFactory()
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
    report = factories.ReportFactory(title="Before")
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
