"""Rows public with a parent wait for review on their own admin pages too.

A report's recommendations, a person's roles and an analysis's knowledge gaps have
change pages of their own. While the parent is published, a curator's edit there waits
for an editor, exactly as an edit of the parent does; a curator cannot add a row to a
published parent, move one there, or delete one; progress updates added to a public
recommendation are drafts. Editors are emailed when a change first waits.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from agenda.models import GapContributor, GapStatusChange
from collaboration.models import Role
from publishing.models import PendingChange, Provenance, Status
from reports.models import KnowledgeGap, Recommendation, RecommendationStatusChange, Report
from tests import factories
from tests.admin_helpers import change_url, form_data, messages_of, url
from tests.conftest import run_background_tasks

pytestmark = pytest.mark.django_db

PROVENANCE = "publishing-provenance-content_type-object_id"


def review_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_pending_change", args=[obj.pk])


def propose(client, obj, **changes):
    return client.post(change_url(obj), form_data(client, obj, **changes), follow=True)


def apply(client, obj):
    return client.post(review_url(obj), {"_apply": "1"}, follow=True)


def report_page(client, report) -> str:
    client.logout()
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def new_recommendation(report, heading="A new recommendation", **fields):
    return {
        "report": report.pk,
        "number": "9",
        "heading": heading,
        "explanation": "",
        "status": Recommendation.Status.NOT_RECORDED,
        "owner_organisation": "",
        "owner_person": "",
        "target_date": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        f"{PROVENANCE}-TOTAL_FORMS": "0",
        f"{PROVENANCE}-INITIAL_FORMS": "0",
        **fields,
    }


class TestRecommendation:
    def test_curator_edit_of_a_public_reports_recommendation_waits(
        self, client, curator, published_report
    ):
        recommendation = factories.RecommendationFactory(
            report=published_report, heading="Share the data"
        )
        client.force_login(curator)
        response = propose(client, recommendation, heading="Rewritten by the curator")
        assert "Your changes wait for an editor" in " ".join(messages_of(response))
        recommendation.refresh_from_db()
        assert recommendation.heading == "Share the data"
        page = report_page(client, published_report)
        assert "Share the data" in page and "Rewritten by the curator" not in page
        change = PendingChange.objects.get()
        assert change.item == recommendation and change.proposed == {
            "heading": "Rewritten by the curator"
        }

    def test_an_editor_applies_it_and_the_status_history_names_the_editor(
        self, client, curator, editor, published_report
    ):
        recommendation = factories.RecommendationFactory(report=published_report)
        client.force_login(curator)
        propose(client, recommendation, status=Recommendation.Status.IN_PROGRESS)
        assert not RecommendationStatusChange.objects.exists()
        client.force_login(editor)
        response = apply(client, recommendation)
        assert any("Applied" in message for message in messages_of(response))
        recommendation.refresh_from_db()
        assert recommendation.status == Recommendation.Status.IN_PROGRESS
        change = RecommendationStatusChange.objects.get()
        assert change.changed_by == editor and change.new_status == "in_progress"
        assert "In progress" in report_page(client, published_report)

    def test_curator_edit_of_a_draft_reports_recommendation_applies_at_once(
        self, client, curator, draft_report
    ):
        recommendation = factories.RecommendationFactory(report=draft_report)
        client.force_login(curator)
        propose(client, recommendation, heading="Rewritten while a draft")
        recommendation.refresh_from_db()
        assert recommendation.heading == "Rewritten while a draft"
        assert not PendingChange.objects.exists()

    def test_curator_cannot_add_one_to_a_public_report_but_can_to_a_draft(
        self, curator_client, published_report, draft_report
    ):
        add = url(Recommendation, "add")
        response = curator_client.post(add, new_recommendation(published_report))
        assert response.status_code == 200
        assert "would go live at once, without review" in response.content.decode()
        assert not published_report.recommendations.exists()
        response = curator_client.post(add, new_recommendation(draft_report))
        assert response.status_code == 302
        assert draft_report.recommendations.get().heading == "A new recommendation"

    def test_an_editor_adds_one_to_a_public_report(self, editor_client, published_report):
        response = editor_client.post(
            url(Recommendation, "add"), new_recommendation(published_report)
        )
        assert response.status_code == 302
        assert "A new recommendation" in report_page(editor_client, published_report)

    def test_curator_cannot_move_a_drafts_recommendation_to_a_public_report(
        self, client, curator, published_report, draft_report
    ):
        recommendation = factories.RecommendationFactory(report=draft_report)
        client.force_login(curator)
        response = propose(client, recommendation, report=published_report.pk)
        assert "would go live at once, without review" in response.content.decode()
        recommendation.refresh_from_db()
        assert recommendation.report == draft_report

    def test_curator_cannot_delete_one_of_a_public_report_by_either_route(
        self, client, curator, editor, published_report
    ):
        kept = factories.RecommendationFactory(report=published_report)
        delete = url(Recommendation, "delete", kept.pk)
        client.force_login(curator)
        assert 'class="deletelink"' not in client.get(change_url(kept)).content.decode()
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        bulk = {"action": "delete_selected", "_selected_action": [kept.pk], "post": "yes"}
        assert client.post(url(Recommendation), bulk).status_code == 403
        assert Recommendation.objects.filter(pk=kept.pk).exists()
        client.force_login(editor)
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert not Recommendation.objects.filter(pk=kept.pk).exists()

    def test_progress_updates_added_to_a_public_recommendation_are_drafts(
        self, client, curator, published_report
    ):
        recommendation = factories.RecommendationFactory(report=published_report)
        existing = factories.RecommendationUpdateFactory(
            recommendation=recommendation, summary="Agreed by the board."
        )
        client.force_login(curator)
        data = form_data(client, recommendation)
        data.update(
            {
                "updates-0-summary": "Crafted: rewritten in place.",
                "updates-TOTAL_FORMS": "2",
                "updates-1-happened_on": "2026-11-30",
                "updates-1-status": Status.PUBLISHED,  # a crafted POST
                "updates-1-summary": "Bid submitted.",
                "updates-1-evidence_url": "",
            }
        )
        response = client.post(change_url(recommendation), data, follow=True)
        assert response.status_code == 200
        # Publishing is an editor's move: the crafted state is refused, nothing saved.
        assert not recommendation.updates.filter(summary="Bid submitted.").exists()
        data["updates-1-status"] = Status.DRAFT
        response = client.post(change_url(recommendation), data, follow=True)
        assert any("saved, unpublished" in message for message in messages_of(response))
        added = recommendation.updates.get(summary="Bid submitted.")
        assert added.status == Status.DRAFT
        existing.refresh_from_db()
        assert existing.summary == "Agreed by the board."
        page = report_page(client, published_report)
        assert "Agreed by the board." in page and "Bid submitted." not in page
        assert not PendingChange.objects.exists()  # the recommendation itself is unchanged


class TestRole:
    def test_curator_edit_of_a_public_persons_role_waits_and_an_editor_applies_it(
        self, client, curator, editor
    ):
        role = factories.RoleFactory(title="Operational lead for SOC research")
        person = role.person
        client.force_login(curator)
        propose(client, role, title="Rewritten by the curator")
        role.refresh_from_db()
        assert role.title == "Operational lead for SOC research"
        client.logout()
        page = client.get(person.get_absolute_url()).content.decode()
        assert "Rewritten by the curator" not in page
        client.force_login(editor)
        apply(client, role)
        role.refresh_from_db()
        assert role.title == "Rewritten by the curator"

    def test_curator_cannot_give_a_public_person_a_role_but_can_a_draft(self, curator_client):
        public, draft = factories.PersonFactory(), factories.PersonFactory(status=Status.DRAFT)
        add = url(Role, "add")

        def data(person):
            return {
                "person": person.pk,
                "kind": Role.Kind.RESEARCHER,
                f"{PROVENANCE}-TOTAL_FORMS": "0",
                f"{PROVENANCE}-INITIAL_FORMS": "0",
            }

        response = curator_client.post(add, data(public))
        assert "would go live at once, without review" in response.content.decode()
        assert curator_client.post(add, data(draft)).status_code == 302
        assert not public.roles.exists() and draft.roles.count() == 1


class TestKnowledgeGap:
    def test_curator_edit_of_a_gap_in_a_public_analysis_waits(self, client, curator, editor):
        gap = factories.KnowledgeGapFactory(question="Who launders the proceeds?")
        assert KnowledgeGap.objects.published().filter(pk=gap.pk).exists()
        client.force_login(curator)
        propose(client, gap, question="Rewritten by the curator")
        gap.refresh_from_db()
        assert gap.question == "Who launders the proceeds?"
        client.force_login(editor)
        apply(client, gap)
        gap.refresh_from_db()
        assert gap.question == "Rewritten by the curator"

    def test_a_list_edit_of_a_public_gaps_status_waits_a_drafts_applies(
        self, client, curator, editor
    ):
        public = factories.KnowledgeGapFactory(status=KnowledgeGap.Status.IDENTIFIED)
        draft = factories.KnowledgeGapFactory(
            status=KnowledgeGap.Status.IDENTIFIED,
            analysis=factories.GapAnalysisFactory(status=Status.DRAFT),
        )
        client.force_login(curator)
        changelist = client.get(url(KnowledgeGap))
        formset = changelist.context["cl"].formset
        data = {
            f"form-{name}": value
            for name, value in (
                ("TOTAL_FORMS", str(len(formset.forms))),
                ("INITIAL_FORMS", str(len(formset.forms))),
            )
        }
        for index, form in enumerate(formset.forms):
            data[f"form-{index}-id"] = str(form.instance.pk)
            data[f"form-{index}-status"] = KnowledgeGap.Status.BEING_RESEARCHED
        data["_save"] = "Save"
        response = client.post(url(KnowledgeGap), data, follow=True)
        assert any("wait for an editor" in message for message in messages_of(response))
        public.refresh_from_db()
        draft.refresh_from_db()
        assert draft.status == KnowledgeGap.Status.BEING_RESEARCHED
        assert public.status == KnowledgeGap.Status.IDENTIFIED
        assert not GapStatusChange.objects.filter(gap=public).exists()
        # Applied, the change is dated in the gap's public status history.
        client.force_login(editor)
        apply(client, public)
        public.refresh_from_db()
        assert public.status == KnowledgeGap.Status.BEING_RESEARCHED
        recorded = GapStatusChange.objects.get(gap=public)
        assert recorded.changed_by == editor and recorded.previous_status == "identified"


class TestRowsOfAPublicGapAndNotes:
    """A gap's dated status history, who works on it, and any item's provenance notes."""

    def test_curator_cannot_date_a_status_change_of_a_public_gap_but_can_of_a_draft(
        self, curator_client
    ):
        public = factories.KnowledgeGapFactory()
        draft = factories.KnowledgeGapFactory(
            analysis=factories.GapAnalysisFactory(status=Status.DRAFT)
        )

        def record(gap):
            data = {"gap": gap.pk, "previous_status": "identified", "status": "scoped"}
            data["changed_at_0"], data["changed_at_1"] = "2026-11-02", "10:00"
            return curator_client.post(url(GapStatusChange, "add"), data)

        assert "would go live at once, without review" in record(public).content.decode()
        assert record(draft).status_code == 302
        assert list(GapStatusChange.objects.values_list("gap", flat=True)) == [draft.pk]

    def test_curator_edit_of_who_works_on_a_public_gap_waits(self, client, curator):
        contributor = GapContributor.objects.create(
            gap=factories.KnowledgeGapFactory(), person=factories.PersonFactory(), role="lead"
        )
        client.force_login(curator)
        propose(client, contributor, role="Rewritten by the curator")
        contributor.refresh_from_db()
        assert contributor.role == "lead"
        assert PendingChange.objects.get().item == contributor

    def test_curator_edit_of_a_public_reports_provenance_note_waits(
        self, client, curator, published_report, draft_report
    ):
        public_note = factories.ProvenanceFactory(entry=published_report, note="As stated")
        draft_note = factories.ProvenanceFactory(entry=draft_report, note="As stated")
        client.force_login(curator)
        propose(client, public_note, note="Rewritten by the curator")
        propose(client, draft_note, note="Rewritten by the curator")
        public_note.refresh_from_db()
        draft_note.refresh_from_db()
        assert public_note.note == "As stated"
        assert draft_note.note == "Rewritten by the curator"
        assert PendingChange.objects.get().item == public_note

    def test_a_note_on_a_public_reports_table_row_waits_too(self, client, curator):
        row = factories.AlignmentRowFactory()  # of a published report, edited inline only
        note = factories.ProvenanceFactory(entry=row, field="activity", note="As stated")
        client.force_login(curator)
        propose(client, note, note="Rewritten by the curator")
        note.refresh_from_db()
        assert note.note == "As stated"
        assert PendingChange.objects.get().item == note

    def test_curator_cannot_add_a_provenance_note_to_a_public_report(
        self, curator_client, published_report
    ):
        data = {
            "content_type": ContentType.objects.get_for_model(Report).pk,
            "object_id": published_report.pk,
            "field": "title",
            "document": "EMPAC progress report",
            "passage": "",
            "note": "",
            "basis": "",
        }
        response = curator_client.post(url(Provenance, "add"), data)
        assert "would go live at once, without review" in response.content.decode()
        assert not Provenance.objects.exists()


class TestDeletingPublicItems:
    def test_a_curator_deletes_a_draft_report_but_not_a_public_one(
        self, curator_client, published_report, draft_report
    ):
        assert (
            curator_client.post(
                url(Report, "delete", published_report.pk), {"post": "yes"}
            ).status_code
            == 403
        )
        assert (
            curator_client.post(url(Report, "delete", draft_report.pk), {"post": "yes"}).status_code
            == 302
        )
        assert list(Report.objects.all()) == [published_report]


class TestEditorsAreEmailed:
    @pytest.fixture
    def editors(self, editor):
        editor.email = "eddie@example.org"
        editor.save()
        other = factories.UserFactory(username="edna", email="edna@example.org", is_staff=True)
        other.groups.add(*editor.groups.all())
        return [editor, other]

    def test_once_when_a_change_first_waits_without_what_it_says(
        self, client, curator, editors, published_report
    ):
        client.force_login(curator)
        data = form_data(client, published_report, title="Secret new title")
        data["review_note"] = "Private note for the editor"
        client.post(change_url(published_report), data)
        propose(client, published_report, title="A second try")  # updates the same change
        run_background_tasks()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert sorted(message.to) == ["eddie@example.org", "edna@example.org"]
        assert published_report.title in message.subject
        assert review_url(published_report) in message.body
        assert "cora" in message.body
        for secret in ("Secret new title", "A second try", "Private note"):
            assert secret not in message.body and secret not in message.subject

    def test_nothing_is_sent_for_a_change_decided_before_the_worker_ran(
        self, client, curator, editors, published_report
    ):
        client.force_login(curator)
        propose(client, published_report, title="Withdrawn soon")
        client.post(review_url(published_report), {"_withdraw": "1"})
        run_background_tasks()
        assert mail.outbox == []

    def test_a_mail_server_down_is_tried_again_later(
        self, client, curator, editors, published_report, settings
    ):
        client.force_login(curator)
        settings.EMAIL_BACKEND = "tests.involvement.conftest.FailingEmailBackend"
        propose(client, published_report, title="Retitled")
        run_background_tasks()
        assert mail.outbox == []
        waiting = DBTaskResult.objects.filter(status="READY")
        assert waiting.count() == 1  # enqueued again, after a delay


class TestWhatTheCuratorAndEditorAreTold:
    def test_an_unchanged_form_sent_with_the_browsers_line_endings_proposes_nothing(
        self, client, curator, published_report
    ):
        published_report.body = "First paragraph.\n\nSecond paragraph."
        published_report.save()
        client.force_login(curator)
        data = form_data(client, published_report)
        data["body"] = data["body"].replace("\n", "\r\n")  # as a text area sends it
        response = client.post(change_url(published_report), data, follow=True)
        assert "Nothing waits for review" in " ".join(messages_of(response))
        assert not PendingChange.objects.exists()

        data["title"] = "Retitled"
        data["body"] = "First paragraph.\r\n\r\nSecond, rewritten."
        client.post(change_url(published_report), data)
        assert PendingChange.objects.get().proposed == {
            "title": "Retitled",
            "body": "First paragraph.\n\nSecond, rewritten.",
        }

    def test_the_curator_learns_the_outcome_on_the_item_and_by_email(
        self, client, curator, editor, published_report
    ):
        curator.email = "cora@example.org"
        curator.save()
        client.force_login(curator)
        propose(client, published_report, title="Retitled by the curator")
        client.force_login(editor)
        note = "Please keep the original wording."
        client.post(review_url(published_report), {"_reject": "1", "decision_note": note})
        client.force_login(curator)
        page = client.get(change_url(published_report)).content.decode()
        assert "was rejected by eddie" in page and note in page
        run_background_tasks()
        told = [m for m in mail.outbox if m.to == ["cora@example.org"]]
        assert len(told) == 1 and "was rejected" in told[0].subject
        assert change_url(published_report) in told[0].body and note not in told[0].body

    def test_the_apply_message_names_the_item_as_changed(
        self, client, curator, editor, published_report
    ):
        client.force_login(curator)
        propose(client, published_report, title="Retitled by the curator")
        client.force_login(editor)
        response = apply(client, published_report)
        assert "Applied: the public now sees “Retitled by the curator” as changed." in (
            messages_of(response)
        )

    def test_the_review_page_warns_when_the_item_was_saved_since(
        self, client, curator, editor, published_report
    ):
        client.force_login(curator)
        propose(client, published_report, title="Retitled by the curator")
        client.force_login(editor)
        assert "was saved again" not in client.get(review_url(published_report)).text
        propose(client, published_report, summary="An editor's own change")
        assert "was saved again" in client.get(review_url(published_report)).text

    def test_waiting_progress_updates_are_linked_from_the_admin_home(
        self, editor_client, published_report
    ):
        waiting = factories.RecommendationFactory(report=published_report)
        factories.RecommendationUpdateFactory(recommendation=waiting, status=Status.IN_REVIEW)
        factories.RecommendationFactory(report=published_report)  # with nothing waiting
        home = editor_client.get(reverse("admin:index")).content.decode()
        link = url(Recommendation) + "?updates__status=in_review"
        assert f'href="{link}"' in home
        listed = editor_client.get(link).context["cl"].result_list
        assert list(listed) == [waiting]

    def test_the_emails_name_a_rows_parent(self, client, curator, editor, published_report):
        editor.email = "eddie@example.org"
        editor.save()
        curator.email = "cora@example.org"
        curator.save()
        recommendation = factories.RecommendationFactory(report=published_report, number="3")
        client.force_login(curator)
        propose(client, recommendation, heading="Rewritten by the curator")
        run_background_tasks()  # before it is decided, or nothing waits to be told of
        client.force_login(editor)
        apply(client, recommendation)
        run_background_tasks()
        parent = f"of the report “{published_report.title}”"
        waits, decided = sorted(mail.outbox, key=lambda message: message.to != [editor.email])
        assert waits.to == [editor.email] and decided.to == [curator.email]
        for message in (waits, decided):
            assert parent in message.subject and parent in message.body

    def test_adding_only_a_draft_update_leaves_the_waiting_change_as_it_was(
        self, client, curator, published_report
    ):
        recommendation = factories.RecommendationFactory(report=published_report)
        client.force_login(curator)
        data = form_data(client, recommendation, heading="Rewritten by the curator")
        data["review_note"] = "Shorter, as the board asked."
        client.post(change_url(recommendation), data)
        waiting = PendingChange.objects.get()
        data = form_data(client, recommendation)  # the form shows the change that waits
        assert data["heading"] == "Rewritten by the curator"
        data.update(
            {
                "updates-TOTAL_FORMS": str(int(data["updates-TOTAL_FORMS"]) + 1),
                f"updates-{data['updates-TOTAL_FORMS']}-happened_on": "2026-11-30",
                f"updates-{data['updates-TOTAL_FORMS']}-status": Status.DRAFT,
                f"updates-{data['updates-TOTAL_FORMS']}-summary": "Bid submitted.",
            }
        )
        response = client.post(change_url(recommendation), data, follow=True)
        assert any("saved, unpublished" in message for message in messages_of(response))
        assert recommendation.updates.get().summary == "Bid submitted."
        again = PendingChange.objects.get()
        assert again.updated_at == waiting.updated_at
        assert again.note == "Shorter, as the board asked."
        assert again.proposed == {"heading": "Rewritten by the curator"}

    def test_an_add_form_opened_for_a_public_parent_says_so_at_once(
        self, client, curator, editor, published_report, draft_report
    ):
        add = url(Recommendation, "add")
        client.force_login(curator)
        warned = messages_of(client.get(f"{add}?report={published_report.pk}"))
        assert any("would go live at once, without review" in text for text in warned)
        for fine in (f"?report={draft_report.pk}", "?report=nonsense", "?report=99999", ""):
            response = client.get(add + fine)
            assert response.status_code == 200
            assert not any("without review" in text for text in messages_of(response)), fine
        client.force_login(editor)
        assert not messages_of(client.get(f"{add}?report={published_report.pk}"))
