"""A curator's edit of a published item waits for an editor; the public keeps the published one.

Editors' edits, and curators' edits of drafts, apply at once. An editor applies a
waiting change (a normal save: history, page cache) or rejects it; its curator may
withdraw it. Crafted POSTs reach neither the item nor its inline rows.
"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publishing.curators import CURATORS_GROUP
from publishing.models import Marking, PendingChange, Status
from reports.models import Report
from tests import factories
from tests.admin_helpers import change_url, form_data, messages_of

pytestmark = pytest.mark.django_db

# A text field of each Publishable with a public page, to edit.
EDITED_FIELD = {
    factories.ThemeFactory: "short_name",
    factories.OrganisationFactory: "name",
    factories.PersonFactory: "name",
    factories.ReportFactory: "title",
    factories.GapAnalysisFactory: "title",
}


def review_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_pending_change", args=[obj.pk])


def public_page(client, report) -> str:
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def propose(client, obj, **changes):
    return client.post(change_url(obj), form_data(client, obj, **changes), follow=True)


@pytest.fixture
def waiting(client, curator, published_report):
    """The published report, with a curator's retitling waiting for review."""
    public_page(client, published_report)  # in the page cache now
    client.force_login(curator)
    response = propose(client, published_report, title="Retitled by the curator")
    client.logout()
    return response


def test_curator_edit_of_a_published_report_waits_and_the_public_page_stays(
    client, waiting, published_report
):
    assert "Your changes wait for an editor; the public still sees the published version." in (
        messages_of(waiting)
    )
    page = public_page(client, published_report)
    assert published_report.title in page and "Retitled by the curator" not in page
    published_report.refresh_from_db()
    assert published_report.title != "Retitled by the curator"
    change = PendingChange.objects.get()
    assert change.is_open and change.proposed == {"title": "Retitled by the curator"}


def test_the_waiting_change_shows_in_what_waits_and_on_the_item(
    client, editor, waiting, published_report
):
    editor_client = client
    editor_client.force_login(editor)
    home = editor_client.get(reverse("admin:index")).content.decode()
    assert "Changes waiting for an editor" in home
    assert review_url(published_report) in home
    item_page = editor_client.get(change_url(published_report)).content.decode()
    assert "waits for an editor’s review" in item_page and review_url(published_report) in item_page
    review = editor_client.get(review_url(published_report)).content.decode()
    assert "Retitled by the curator" in review and published_report.title in review
    assert "Apply: publish these changes" in review


def test_editor_applies_it_and_the_public_page_changes_with_a_version_for_it(
    client, editor, curator, waiting, published_report
):
    client.force_login(editor)
    response = client.post(review_url(published_report), {"_apply": "1"}, follow=True)
    assert response.status_code == 200
    client.logout()
    assert "Retitled by the curator" in public_page(client, published_report)
    version = published_report.history.first()
    assert version.title == "Retitled by the curator"
    assert version.history_user == editor
    assert curator.get_username() in version.history_change_reason
    change = PendingChange.objects.get()
    assert (change.outcome, change.decided_by) == (PendingChange.Outcome.APPLIED, editor)


def test_editor_rejects_it_and_the_published_version_stays(
    client, editor, waiting, published_report
):
    versions = published_report.history.count()
    client.force_login(editor)
    client.post(review_url(published_report), {"_reject": "1", "decision_note": "Keep it."})
    client.logout()
    assert "Retitled by the curator" not in public_page(client, published_report)
    change = PendingChange.objects.get()
    assert (change.outcome, change.decision_note) == (PendingChange.Outcome.REJECTED, "Keep it.")
    assert published_report.history.count() == versions


def test_curator_cannot_apply_by_a_crafted_post_but_may_withdraw_their_own(
    client, curator, waiting, published_report
):
    curator_client = client
    curator_client.force_login(curator)
    response = curator_client.post(review_url(published_report), {"_apply": "1"})
    assert response.status_code == 403
    published_report.refresh_from_db()
    assert published_report.title != "Retitled by the curator"
    curator_client.post(review_url(published_report), {"_withdraw": "1"})
    assert PendingChange.objects.get().outcome == PendingChange.Outcome.WITHDRAWN


def test_another_curator_may_not_withdraw_it(client, waiting, published_report):
    other = factories.UserFactory(username="colin", is_staff=True)
    other.groups.add(Group.objects.get(name=CURATORS_GROUP))
    client.force_login(other)
    assert client.post(review_url(published_report), {"_withdraw": "1"}).status_code == 403
    assert PendingChange.objects.get().is_open


def test_a_second_curator_edit_updates_the_same_change_from_where_it_left_off(
    client, curator, waiting, published_report
):
    curator_client = client
    curator_client.force_login(curator)
    form = curator_client.get(change_url(published_report)).context["adminform"].form
    assert form["title"].value() == "Retitled by the curator"
    propose(curator_client, published_report, summary="A new summary.")
    change = PendingChange.objects.get()
    assert change.proposed == {"title": "Retitled by the curator", "summary": "A new summary."}


def test_links_wait_too_and_apply_with_the_change(client, curator, editor, published_report, theme):
    other = factories.ThemeFactory()
    client.force_login(curator)
    propose(client, published_report, themes=[str(theme.pk), str(other.pk)], tags="fraud, cyber")
    assert list(published_report.themes.all()) == [theme]
    assert list(published_report.tags.names()) == []
    client.force_login(editor)
    client.post(review_url(published_report), {"_apply": "1"})
    assert set(published_report.themes.all()) == {theme, other}
    assert set(published_report.tags.names()) == {"fraud", "cyber"}


def test_inline_rows_of_a_published_item_are_read_only_for_a_curator(
    curator_client, published_report
):
    recommendation = factories.RecommendationFactory(report=published_report, heading="Original")
    data = form_data(curator_client, published_report)
    data["recommendations-0-heading"] = "Crafted"
    data["recommendations-0-id"] = str(recommendation.pk)
    response = curator_client.post(change_url(published_report), data, follow=True)
    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.heading == "Original"
    page = curator_client.get(change_url(published_report)).content.decode()
    assert "cannot be changed here while it is public" in page


def test_re_marking_takes_a_published_report_down_at_once(curator_client, published_report):
    propose(curator_client, published_report, marking=Marking.OFFICIAL_SENSITIVE)
    published_report.refresh_from_db()
    assert published_report.marking == Marking.OFFICIAL_SENSITIVE
    assert not Report.objects.published().filter(pk=published_report.pk).exists()


def test_re_marking_the_file_applies_at_once_and_the_rest_waits(curator_client, published_report):
    propose(
        curator_client,
        published_report,
        pdf_marking=Marking.OFFICIAL_SENSITIVE,
        title="Retitled with the file",
    )
    published_report.refresh_from_db()
    assert published_report.pdf_marking == Marking.OFFICIAL_SENSITIVE
    assert published_report.pdf_cleared_at is None
    assert published_report.title != "Retitled with the file"
    assert PendingChange.objects.get().proposed == {"title": "Retitled with the file"}


def test_curator_edit_of_a_draft_applies_at_once(curator_client, draft_report):
    propose(curator_client, draft_report, title="Draft retitled")
    draft_report.refresh_from_db()
    assert draft_report.title == "Draft retitled"
    assert not PendingChange.objects.exists()


def test_editor_edit_of_a_published_report_applies_at_once(client, editor_client, published_report):
    public_page(client, published_report)
    propose(editor_client, published_report, title="Retitled by the editor")
    editor_client.logout()
    assert "Retitled by the editor" in public_page(client, published_report)
    assert not PendingChange.objects.exists()


@pytest.mark.parametrize("factory", EDITED_FIELD, ids=lambda f: f._meta.model.__name__)
def test_every_publishable_holds_a_curator_edit_of_its_published_version(curator_client, factory):
    item = factory(status=Status.PUBLISHED)
    name = EDITED_FIELD[factory]
    before = getattr(item, name)
    response = propose(curator_client, item, **{name: "Changed by a curator"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert getattr(item, name) == before
    assert PendingChange.objects.get().proposed == {name: "Changed by a curator"}


def _open_change(item, by):
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        proposed={"title": "Proposed"},
        by=by,
    )


def test_the_record_of_changes_is_read_only_for_everyone(editor_client, editor, published_report):
    change = _open_change(published_report, editor)
    changes = reverse("admin:publishing_pendingchange_changelist")
    page = editor_client.get(changes).content.decode()
    assert review_url(published_report) in page
    assert editor_client.get(reverse("admin:publishing_pendingchange_add")).status_code == 403
    delete = reverse("admin:publishing_pendingchange_delete", args=[change.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert PendingChange.objects.filter(pk=change.pk).exists()


def test_what_waits_lists_changes_in_a_number_of_queries_that_does_not_grow(editor_client, editor):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    _open_change(factories.ReportFactory(), editor)
    _open_change(factories.ThemeFactory(), editor)
    few = queries()
    for _ in range(4):
        _open_change(factories.ReportFactory(), editor)
        _open_change(factories.ThemeFactory(), editor)
    assert queries() == few
