"""The workflow: draft → in review → published, withdrawn; who may make each move, by every route.

Curators edit and send for review; editors publish, withdraw and return to draft. A
curator's crafted POST, list action or list edit never publishes. Every move is recorded
and shown on the item's change page; a withdrawn item's address answers 410 Gone; staff
preview a draft exactly as the public will see it.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from collaboration.models import Organisation, Person, Theme
from publishing.curators import CURATORS_GROUP, EDITORS_GROUP
from publishing.models import Publishable, Status, Transition
from publishing.workflow import history
from reports.models import GapAnalysis, Report
from tests import factories
from tests.admin_helpers import change_url, form_data

pytestmark = pytest.mark.django_db

PUBLISHABLE = [
    factories.ThemeFactory,
    factories.OrganisationFactory,
    factories.PersonFactory,
    factories.ReportFactory,
    factories.GapAnalysisFactory,
]


def changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def action(client, model, name, objects):
    return client.post(
        changelist_url(model),
        {"action": name, "index": "0", "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_migrations_make_both_groups_and_only_editors_may_publish():
    publish = Permission.objects.get(codename="publish_content")
    curators = Group.objects.get(name=CURATORS_GROUP)
    editors = Group.objects.get(name=EDITORS_GROUP)
    assert publish not in curators.permissions.all()
    assert publish in editors.permissions.all()
    # Editors are curators who may also publish: everything curators hold, and that.
    assert set(curators.permissions.all()) | {publish} <= set(editors.permissions.all())


@pytest.mark.parametrize("factory", PUBLISHABLE, ids=lambda f: f._meta.model.__name__)
def test_curator_sends_for_review_and_editor_publishes_withdraws_and_returns(
    client, curator, editor, factory
):
    item = factory(status=Status.DRAFT)
    model = type(item)
    client.force_login(curator)
    response = action(client, model, "send_for_review", [item])
    assert f"1 {model._meta.verbose_name} sent for review." in [
        str(m) for m in response.context["messages"]
    ]
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW

    client.force_login(editor)
    for name, status in [
        ("publish", Status.PUBLISHED),
        ("withdraw", Status.WITHDRAWN),
        ("unpublish", Status.DRAFT),
    ]:
        action(client, model, name, [item])
        item.refresh_from_db()
        assert item.status == status, name

    moves = [(t.from_status, t.to_status, t.by) for t in history(item)]
    assert moves == [
        (Status.WITHDRAWN, Status.DRAFT, editor),
        (Status.PUBLISHED, Status.WITHDRAWN, editor),
        (Status.IN_REVIEW, Status.PUBLISHED, editor),
        (Status.DRAFT, Status.IN_REVIEW, curator),
    ]


@pytest.mark.parametrize("name", ["publish", "withdraw", "unpublish"])
def test_a_curator_is_not_offered_nor_allowed_the_editors_actions(curator_client, name):
    report = factories.ReportFactory(status=Status.IN_REVIEW)
    published = factories.ReportFactory(status=Status.PUBLISHED)
    response = curator_client.get(changelist_url(Report))
    offered = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert name not in offered
    assert "send_for_review" in offered

    # A crafted POST naming the action does nothing.
    action(curator_client, Report, name, [report, published])
    report.refresh_from_db()
    published.refresh_from_db()
    assert (report.status, published.status) == (Status.IN_REVIEW, Status.PUBLISHED)
    assert not Transition.objects.exists()


@pytest.mark.parametrize("factory", PUBLISHABLE, ids=lambda f: f._meta.model.__name__)
def test_a_curators_crafted_change_form_post_cannot_publish(curator_client, factory):
    item = factory(status=Status.IN_REVIEW)
    data = form_data(curator_client, item, status=Status.PUBLISHED)
    response = curator_client.post(change_url(item), data)
    assert response.status_code == 200  # the form again, with the reason
    assert "Only an editor can publish" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW
    assert not type(item).objects.published().filter(pk=item.pk).exists()


def test_the_change_form_offers_a_curator_only_draft_and_review(client, curator, editor):
    report = factories.ReportFactory(status=Status.DRAFT)
    client.force_login(curator)
    response = client.get(change_url(report))
    choices = [v for v, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.IN_REVIEW]
    client.force_login(editor)
    response = client.get(change_url(report))
    choices = [v for v, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == Status.values


def test_a_curator_cannot_add_an_item_already_published(curator_client):
    response = curator_client.post(
        reverse("admin:collaboration_theme_add"),
        {
            "position": 40,
            "short_name": "New",
            "slug": "new",
            "status": Status.PUBLISHED,
            "full_name": "New theme",
            "provenance_notes-TOTAL_FORMS": 0,
            "provenance_notes-INITIAL_FORMS": 0,
            "publishing-provenance-content_type-object_id-TOTAL_FORMS": 0,
            "publishing-provenance-content_type-object_id-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Theme.objects.filter(slug="new").exists()


def test_a_curators_crafted_list_edit_cannot_publish(curator_client):
    """The list's editable columns save through the same check (none is the status today)."""
    report = factories.ReportFactory(status=Status.IN_REVIEW)
    response = curator_client.post(
        changelist_url(Report),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": report.pk,
            "form-0-status": Status.PUBLISHED,
            "_save": "Save",
        },
    )
    assert response.status_code in (200, 302)
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_editor_publishes_from_the_change_form_and_the_move_is_shown_there(editor_client, editor):
    report = factories.ReportFactory(status=Status.IN_REVIEW)
    data = form_data(editor_client, report, status=Status.PUBLISHED)
    response = editor_client.post(change_url(report), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    assert report.status_changed_at is not None

    page = editor_client.get(change_url(report)).content.decode()
    assert "Workflow history" in page or "workflow history" in page.lower()
    assert "In review → Published" in page
    assert editor.username in page


def test_withdrawn_report_answers_410_saying_when_and_never_its_content(client, editor_client):
    report = factories.ReportFactory(
        status=Status.PUBLISHED, title="The withdrawn title", summary="Secret summary"
    )
    assert client.get(report.get_absolute_url()).status_code == 200
    action(editor_client, Report, "withdraw", [report])
    client.logout()

    response = client.get(report.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "This report has been withdrawn" in page
    report.refresh_from_db()
    assert report.status_changed_at.strftime("%-d %B %Y") in page
    assert "The withdrawn title" not in page and "Secret summary" not in page
    # …and it leaves every list.
    assert "The withdrawn title" not in client.get(reverse("reports:report-list")).content.decode()
    assert not Report.objects.published().filter(pk=report.pk).exists()


@pytest.mark.parametrize(
    "factory", [factories.OrganisationFactory, factories.PersonFactory, factories.ThemeFactory]
)
def test_other_withdrawn_items_answer_410(client, factory):
    item = factory(status=Status.WITHDRAWN)
    assert client.get(item.get_absolute_url()).status_code == 410


def test_a_draft_is_still_404_not_410(client):
    report = factories.ReportFactory(status=Status.DRAFT)
    assert client.get(report.get_absolute_url()).status_code == 404


PREVIEWED = [
    factories.ReportFactory,
    factories.GapAnalysisFactory,
    factories.OrganisationFactory,
    factories.PersonFactory,
    factories.ThemeFactory,
    factories.ImpactEntryFactory,
]


def test_every_publishable_with_a_public_page_has_a_preview():
    with_pages = {
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and hasattr(model, "get_absolute_url")
    }
    assert with_pages == {factory._meta.model for factory in PREVIEWED}
    for factory in PREVIEWED:
        item = factory(status=Status.DRAFT)
        assert item.get_preview_url() not in (None, item.get_absolute_url()), factory


@pytest.mark.parametrize("factory", PREVIEWED, ids=lambda f: f._meta.model.__name__)
def test_staff_preview_a_draft_as_the_public_would_see_it_never_cached_noindex(
    client, curator, factory
):
    item = factory(status=Status.DRAFT)
    url = item.get_preview_url()
    # The public: sent to sign in, never shown the draft.
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

    client.force_login(curator)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview – not public" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert str(item) in page or getattr(item, "title", "") in page
    # The public page is still not there.
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404


def test_preview_looks_like_the_public_page(client, curator):
    report = factories.ReportFactory(status=Status.PUBLISHED)
    public = client.get(report.get_absolute_url()).content.decode()
    client.force_login(curator)
    preview = client.get(report.get_preview_url()).content.decode()
    # The same main content: the preview only adds its banner.
    start, end = '<main class="govuk-main-wrapper"', "</main>"
    assert (
        public[public.index(start) : public.index(end)]
        == preview[preview.index(start) : preview.index(end)]
    )


def test_staff_without_view_permission_get_no_preview(client):
    report = factories.ReportFactory(status=Status.DRAFT)
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(report.get_preview_url()).status_code == 403


def test_the_change_page_links_to_the_preview(curator_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    page = curator_client.get(change_url(report)).content.decode()
    assert report.get_preview_url() in page


def test_withdrawn_items_leave_every_public_list(client):
    factories.ReportFactory(status=Status.WITHDRAWN, title="Gone report")
    organisation = factories.OrganisationFactory(status=Status.WITHDRAWN, name="Gone partner")
    factories.ReportFactory(title="Shown report")
    for name in ["reports:report-list", "browse:organisation-list", "browse:home"]:
        page = client.get(reverse(name)).content.decode()
        assert "Gone report" not in page and "Gone partner" not in page
    assert list(Report.objects.published().values_list("title", flat=True)) == ["Shown report"]
    assert not Organisation.objects.published().filter(pk=organisation.pk).exists()
    assert Person.objects.published().count() == Person.objects.count()
    assert GapAnalysis.objects.published().count() == 0


# A published report needs a date.


def test_the_database_refuses_a_published_report_without_a_date():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ReportFactory(
            status=Status.PUBLISHED, published_on=None, date_precision=Report.DatePrecision.DAY
        )
    # A stated lack of date is a decision, and allowed.
    report = factories.ReportFactory(
        status=Status.PUBLISHED, published_on=None, date_precision=Report.DatePrecision.UNDATED
    )
    assert report.display_date == "Date not stated"
    # A draft may wait for its date.
    factories.ReportFactory(status=Status.DRAFT, published_on=None)


def test_publishing_an_undated_report_is_a_form_error(editor_client):
    report = factories.ReportFactory(
        status=Status.IN_REVIEW, published_on=None, date_precision=Report.DatePrecision.DAY
    )
    data = form_data(editor_client, report, status=Status.PUBLISHED)
    response = editor_client.post(change_url(report), data)
    assert response.status_code == 200
    assert "A published report needs a date" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_the_publish_action_says_why_an_undated_report_was_left(editor_client):
    undated = factories.ReportFactory(
        status=Status.IN_REVIEW,
        published_on=None,
        date_precision=Report.DatePrecision.DAY,
        title="No date",
    )
    dated = factories.ReportFactory(status=Status.IN_REVIEW)
    response = action(editor_client, Report, "publish", [undated, dated])
    messages = [str(m) for m in response.context["messages"]]
    assert "1 report published." in messages
    assert any(
        m.startswith("“No date” was left as it was: A published report needs") for m in messages
    )
    assert list(Report.objects.published()) == [dated]
