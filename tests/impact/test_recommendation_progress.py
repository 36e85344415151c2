"""Recommendations tracked to impact: status, owner, target date, updates, history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import Recommendation, RecommendationStatusChange, RecommendationUpdate
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def progress_url(recommendation) -> str:
    return reverse(
        "impact:recommendation-detail",
        kwargs={"slug": recommendation.report.slug, "number": recommendation.number},
    )


def test_every_seeded_recommendation_is_not_recorded_since_the_sources_state_no_progress():
    call_command("seed_empac", verbosity=0)
    recommendations = Recommendation.objects.all()
    assert recommendations.count() == 7
    assert set(recommendations.values_list("status", flat=True)) == {"not_recorded"}
    assert not RecommendationStatusChange.objects.exists()
    assert not recommendations.filter(owner_organisation__isnull=False).exists()
    assert not recommendations.filter(target_date__isnull=False).exists()


def test_a_change_of_status_is_kept_in_the_history_with_its_date():
    recommendation = factories.RecommendationFactory()
    assert not recommendation.status_changes.exists()
    recommendation.status = Recommendation.Status.IN_PROGRESS
    recommendation.save()
    recommendation.status = Recommendation.Status.IMPLEMENTED
    recommendation.save()
    recommendation.heading = "Reworded, same status"
    recommendation.save()
    changes = list(recommendation.status_changes.order_by("changed_at", "id"))
    assert [(c.old_status, c.new_status) for c in changes] == [
        ("not_recorded", "in_progress"),
        ("in_progress", "implemented"),
    ]
    recommendation.refresh_from_db()
    assert recommendation.status_changed_at == changes[-1].changed_at


def test_a_recommendation_created_with_a_status_records_it():
    recommendation = factories.RecommendationFactory(status=Recommendation.Status.NOT_STARTED)
    change = recommendation.status_changes.get()
    assert (change.old_status, change.new_status) == ("", "not_started")


@pytest.mark.parametrize(
    ("target", "status", "overdue"),
    [
        (TODAY - datetime.timedelta(days=1), "in_progress", True),
        (TODAY - datetime.timedelta(days=1), "not_recorded", True),
        (TODAY - datetime.timedelta(days=1), "implemented", False),
        (TODAY - datetime.timedelta(days=1), "not_taken_forward", False),
        (TODAY, "in_progress", False),
        (None, "in_progress", False),
    ],
)
def test_overdue_is_past_the_target_date_and_not_settled(target, status, overdue):
    recommendation = factories.RecommendationFactory(target_date=target, status=status)
    assert recommendation.is_overdue(TODAY) is overdue
    assert Recommendation.objects.overdue(TODAY).filter(pk=recommendation.pk).exists() is overdue


def test_only_recommendations_of_public_reports_are_public(published_report, draft_report):
    public = factories.RecommendationFactory(report=published_report)
    factories.RecommendationFactory(report=draft_report)
    assert list(Recommendation.objects.published()) == [public]


def test_only_published_updates_of_public_recommendations_are_public(
    published_report, draft_report
):
    shown = factories.RecommendationUpdateFactory(
        recommendation=factories.RecommendationFactory(report=published_report)
    )
    factories.RecommendationUpdateFactory(recommendation=shown.recommendation, status="draft")
    factories.RecommendationUpdateFactory(
        recommendation=factories.RecommendationFactory(report=draft_report)
    )
    assert list(RecommendationUpdate.objects.published()) == [shown]


class TestReportPage:
    def test_shows_status_owner_target_and_last_public_update(self, client, published_report):
        owner = factories.OrganisationFactory(name="Leicestershire Police")
        recommendation = factories.RecommendationFactory(
            report=published_report,
            heading="We try things out.",
            status=Recommendation.Status.IN_PROGRESS,
            owner_organisation=owner,
            target_date=datetime.date(2099, 3, 31),
        )
        factories.RecommendationUpdateFactory(
            recommendation=recommendation,
            happened_on=datetime.date(2025, 5, 1),
            summary="A red team exercise was run.",
        )
        factories.RecommendationUpdateFactory(
            recommendation=recommendation,
            happened_on=datetime.date(2025, 9, 1),
            summary="Secret draft wording.",
            status="draft",
        )
        page = client.get(published_report.get_absolute_url()).content.decode()
        assert "In progress" in page
        assert "Leicestershire Police" in page
        assert "31 March 2099" in page
        assert "1 May 2025" in page and "A red team exercise was run." in page
        assert "Secret draft wording." not in page
        assert "Overdue" not in page
        assert progress_url(recommendation) in page

    def test_marks_an_overdue_recommendation(self, client, published_report):
        factories.RecommendationFactory(
            report=published_report,
            status=Recommendation.Status.NOT_STARTED,
            target_date=timezone.localdate() - datetime.timedelta(days=1),
        )
        page = client.get(published_report.get_absolute_url()).content.decode()
        assert "Overdue" in page

    def test_says_not_recorded_where_nothing_is_recorded(self, client, published_report):
        factories.RecommendationFactory(report=published_report)
        page = client.get(published_report.get_absolute_url()).content.decode()
        assert "Not recorded" in page and "None recorded" in page

    def test_never_names_a_draft_owner(self, client, published_report):
        draft_owner = factories.OrganisationFactory(name="Unannounced Partner", status="draft")
        factories.RecommendationFactory(report=published_report, owner_organisation=draft_owner)
        page = client.get(published_report.get_absolute_url()).content.decode()
        assert "Unannounced Partner" not in page


class TestProgressPage:
    url = reverse("impact:recommendation-list")

    def test_lists_public_reports_recommendations_and_never_a_drafts(
        self, client, published_report, draft_report
    ):
        factories.RecommendationFactory(report=published_report, heading="Public advice.")
        factories.RecommendationFactory(report=draft_report, heading="Draft advice.")
        response = client.get(self.url)
        page = response.content.decode()
        assert "Public advice." in page
        assert "Draft advice." not in page
        assert response.context["paginator"].count == 1
        assert response.context["counts"]["total"] == 1

    def test_filters_by_status_and_theme_and_counts_each_status(self, client, theme):
        other_theme = factories.ThemeFactory()
        on_theme = factories.ReportFactory(themes=[theme])
        off_theme = factories.ReportFactory(themes=[other_theme])
        factories.RecommendationFactory(report=on_theme, heading="Going.", status="in_progress")
        factories.RecommendationFactory(report=on_theme, heading="Done.", status="implemented")
        factories.RecommendationFactory(
            report=off_theme, heading="Elsewhere.", status="in_progress"
        )

        page = client.get(self.url, {"status": "in_progress"}).content.decode()
        assert "Going." in page and "Elsewhere." in page and "Done." not in page

        response = client.get(self.url, {"theme": theme.slug})
        page = response.content.decode()
        assert "Going." in page and "Done." in page and "Elsewhere." not in page
        counts = response.context["counts"]
        assert (counts["in_progress"], counts["implemented"], counts["total"]) == (1, 1, 2)

    def test_marks_overdue_and_counts_it(self, client, published_report):
        factories.RecommendationFactory(
            report=published_report, target_date=datetime.date(2000, 1, 1)
        )
        response = client.get(self.url)
        assert response.context["counts"]["overdue"] == 1
        assert "Overdue" in response.content.decode()

    def test_an_unknown_filter_is_explained_and_ignored(self, client, published_report):
        factories.RecommendationFactory(report=published_report, heading="Still listed.")
        response = client.get(self.url, {"status": "finished", "theme": "no-such-theme"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "That is not a status" in page and "There is no theme with that name" in page
        assert "Still listed." in page

    def test_pages_through_many_recommendations(self, client, published_report):
        for number in range(1, 26):
            factories.RecommendationFactory(report=published_report, number=number)
        first = client.get(self.url)
        second = client.get(self.url, {"page": 2})
        assert len(first.context["recommendations"]) == 20
        assert len(second.context["recommendations"]) == 5
        assert client.get(self.url, {"page": 99}).status_code == 404

    def test_a_deep_page_shows_only_public_recommendations_owners_and_updates(self, client):
        """Page 2 is read by key (impact.items.recommendation_items_by_key): drafts stay out."""
        older = factories.ReportFactory(published_on=datetime.date(2020, 1, 1))
        draft = factories.ReportFactory(published_on=datetime.date(2021, 1, 1), status="draft")
        newer = factories.ReportFactory(published_on=datetime.date(2022, 1, 1))
        for number in range(1, 16):
            factories.RecommendationFactory(report=newer, number=number, heading=f"Newer {number}.")
            factories.RecommendationFactory(report=draft, number=number, heading=f"Draft {number}.")
            factories.RecommendationFactory(report=older, number=number, heading=f"Older {number}.")
        shown = Recommendation.objects.get(report=older, number=7)
        shown.owner_organisation = factories.OrganisationFactory(
            name="Unannounced Partner", status="draft"
        )
        shown.owner_person = factories.PersonFactory(name="Named Lead")
        shown.target_date = timezone.localdate() - datetime.timedelta(days=1)
        shown.status = Recommendation.Status.IN_PROGRESS
        shown.save()
        factories.RecommendationUpdateFactory(
            recommendation=shown, happened_on=datetime.date(2025, 5, 1), summary="Public progress."
        )
        factories.RecommendationUpdateFactory(
            recommendation=shown,
            happened_on=datetime.date(2025, 9, 1),
            summary="Secret draft wording.",
            status="draft",
        )

        response = client.get(self.url, {"page": 2})
        headings = [item["heading"] for item in response.context["recommendations"]]
        assert headings == [f"Older {number}." for number in range(6, 16)]
        page = response.content.decode()
        assert "Dr Named Lead" in page and "Public progress." in page and "Overdue" in page
        assert progress_url(shown) in page
        for hidden in ("Draft ", "Unannounced Partner", "Secret draft wording."):
            assert hidden not in page

    def test_query_count_does_not_grow_with_rows(
        self, client, published_report, django_assert_max_num_queries
    ):
        def fill(count):
            for _ in range(count):
                recommendation = factories.RecommendationFactory(
                    report=factories.ReportFactory(themes=[factories.ThemeFactory()]),
                    owner_organisation=factories.OrganisationFactory(),
                    owner_person=factories.PersonFactory(),
                    target_date=datetime.date(2001, 1, 1),
                )
                factories.RecommendationUpdateFactory(recommendation=recommendation)

        fill(3)
        with django_assert_max_num_queries(12) as few:
            assert client.get(self.url).status_code == 200
        fill(30)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(self.url, {"page": 1, "x": "new"}).status_code == 200


class TestRecommendationPage:
    def test_shows_every_public_update_and_the_status_history(self, client, published_report):
        recommendation = factories.RecommendationFactory(report=published_report)
        recommendation.status = "in_progress"
        recommendation.save()
        factories.RecommendationUpdateFactory(recommendation=recommendation, summary="First.")
        factories.RecommendationUpdateFactory(recommendation=recommendation, summary="Second.")
        factories.RecommendationUpdateFactory(
            recommendation=recommendation, summary="Unpublished.", status="draft"
        )
        page = client.get(progress_url(recommendation)).content.decode()
        assert "First." in page and "Second." in page and "Unpublished." not in page
        assert "Status history" in page and "In progress" in page

    def test_is_not_found_for_a_draft_reports_recommendation(self, client, draft_report):
        recommendation = factories.RecommendationFactory(report=draft_report)
        assert client.get(progress_url(recommendation)).status_code == 404

    def test_lists_only_published_impact_entries_naming_it(self, client, published_report):
        recommendation = factories.RecommendationFactory(report=published_report)
        factories.ImpactEntryFactory(title="Trial run", recommendations=[recommendation])
        factories.ImpactEntryFactory(
            title="Not yet announced", status="draft", recommendations=[recommendation]
        )
        page = client.get(progress_url(recommendation)).content.decode()
        assert "Trial run" in page and "Not yet announced" not in page


class TestEvidenceFile:
    def make(self, report, status="published"):
        return factories.RecommendationUpdateFactory(
            recommendation=factories.RecommendationFactory(report=report),
            status=status,
            evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        )

    def test_is_served_through_the_checked_view_while_public(self, client, published_report):
        update = self.make(published_report)
        page = client.get(published_report.get_absolute_url()).content.decode()
        assert update.get_evidence_file_url() in page
        assert "/media/" not in page
        response = client.get(update.get_evidence_file_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_is_not_found_for_a_draft_update_or_a_draft_report(
        self, client, published_report, draft_report
    ):
        assert (
            client.get(self.make(published_report, "draft").get_evidence_file_url()).status_code
            == 404
        )
        assert client.get(self.make(draft_report).get_evidence_file_url()).status_code == 404

    def test_staff_who_may_view_updates_get_a_draft_file_privately(
        self, curator_client, draft_report
    ):
        response = curator_client.get(self.make(draft_report, "draft").get_evidence_file_url())
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]

    def test_a_file_of_the_wrong_kind_is_refused_with_a_message(self, published_report):
        update = RecommendationUpdate(
            recommendation=factories.RecommendationFactory(report=published_report),
            happened_on=TODAY,
            summary="Evidence",
            evidence_file=SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
        )
        with pytest.raises(Exception, match="not allowed"):
            update.full_clean()


class TestAdmin:
    def test_curator_records_status_owner_and_an_update_on_the_recommendation(
        self, curator_client, curator, draft_report
    ):
        # A draft report's: on a public report's, the edit waits for an editor
        # (tests/publishing/test_child_review.py).
        recommendation = factories.RecommendationFactory(report=draft_report)
        owner = factories.OrganisationFactory()
        url = reverse("admin:reports_recommendation_change", args=[recommendation.pk])
        assert curator_client.get(url).status_code == 200
        data = {
            "report": draft_report.pk,
            "number": recommendation.number,
            "heading": recommendation.heading,
            "explanation": "",
            "status": "in_progress",
            "owner_organisation": owner.pk,
            "owner_person": "",
            "target_date": "2027-03-31",
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "0",
            "updates-0-happened_on": "2026-11-30",
            "updates-0-status": "in_review",
            "updates-0-summary": "Bid submitted to the research council.",
            "updates-0-evidence_url": "https://example.org/bid",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
            "publishing-provenance-content_type-object_id-TOTAL_FORMS": "0",
            "publishing-provenance-content_type-object_id-INITIAL_FORMS": "0",
        }
        response = curator_client.post(url, data)
        assert response.status_code == 302, response.context and [
            f.errors for f in response.context["inline_admin_formsets"]
        ]
        recommendation.refresh_from_db()
        assert recommendation.status == "in_progress"
        assert recommendation.owner_organisation == owner
        assert recommendation.target_date == datetime.date(2027, 3, 31)
        change = recommendation.status_changes.get()
        assert change.changed_by == curator and change.new_status == "in_progress"
        assert recommendation.updates.get().summary == "Bid submitted to the research council."
        assert recommendation.updates.get().status == "in_review"

        # Publishing the update is an editor's move, here as anywhere else.
        update = recommendation.updates.get()
        data.update(
            {
                "updates-INITIAL_FORMS": "1",
                "updates-0-id": update.pk,
                "updates-0-recommendation": recommendation.pk,
                "updates-0-status": "published",
            }
        )
        response = curator_client.post(url, data)
        assert response.status_code == 200
        update.refresh_from_db()
        assert update.status == "in_review"

    def test_report_admin_edits_status_in_its_recommendation_inline(
        self, curator_client, draft_report
    ):
        # A draft: a published report's rows are read only for curators (test_review.py);
        # they record progress on the recommendation's own page.
        factories.RecommendationFactory(report=draft_report)
        url = reverse("admin:reports_report_change", args=[draft_report.pk])
        page = curator_client.get(url).content.decode()
        assert 'name="recommendations-0-status"' in page
        assert 'name="recommendations-0-target_date"' in page
