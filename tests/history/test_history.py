"""Content history: every change kept (who, when, what), compared and reverted in the admin."""

import pytest
from django.apps import apps
from django.urls import reverse
from factory.django import DjangoModelFactory

from history.models import REPORT_EXCLUDED_FIELDS, TRACKED
from involvement.models import InterestRegistration
from publishing.models import Status
from reports.models import Recommendation, Report
from tests import factories
from tests.admin_helpers import report_form

pytestmark = pytest.mark.django_db

TRACKED_LABELS = sorted(model._meta.label for model in TRACKED)


def history_url(obj, view="history", *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def test_the_content_the_issue_names_is_tracked_and_registrations_are_not():
    assert TRACKED_LABELS == sorted(
        [
            "collaboration.Theme",
            "collaboration.Organisation",
            "collaboration.Person",
            "collaboration.Role",
            "reports.Report",
            "reports.Recommendation",
            "reports.AlignmentRow",
            "reports.GapAnalysis",
            "reports.ComparisonRow",
            "reports.KnowledgeGap",
        ]
    )
    assert not hasattr(InterestRegistration, "history")
    assert not [
        model
        for model in apps.get_app_config("history").get_models()
        if "registration" in model._meta.model_name
    ]


def test_a_report_version_leaves_out_the_extracted_pdf_text():
    fields = {field.name for field in Report.history.model._meta.fields}
    assert not fields & set(REPORT_EXCLUDED_FIELDS)
    assert {"title", "summary", "body", "pdf", "status"} <= fields


@pytest.mark.parametrize("label", TRACKED_LABELS)
def test_every_save_and_delete_of_tracked_content_is_kept(label):
    model = apps.get_model(label)
    factory = next(
        f
        for f in vars(factories).values()
        if isinstance(f, type) and issubclass(f, DjangoModelFactory) and f._meta.model is model
    )
    obj = factory()
    pk = obj.pk
    obj.save()
    obj.delete()
    kinds = list(
        model.history.filter(**{model._meta.pk.attname: pk}).values_list("history_type", flat=True)
    )
    assert sorted(kinds) == sorted(["+", "~", "-"])


def test_an_admin_edit_records_who_and_which_fields(curator, curator_client):
    report = factories.ReportFactory(title="Old title", status=Status.DRAFT)
    response = curator_client.post(
        history_url(report, "change"),
        report_form(report, title="New title", body="A new body.", status=Status.DRAFT),
    )
    assert response.status_code == 302
    latest = report.history.latest()
    assert latest.history_user == curator
    assert latest.title == "New title"

    page = curator_client.get(history_url(report))
    assert page.status_code == 200
    html = page.content.decode()
    assert curator.get_username() in html
    assert "Title" in html and "Body" in html
    assert "first version" in html


def test_recommendations_saved_in_the_report_form_are_kept_with_who(curator, curator_client):
    report = factories.ReportFactory(status=Status.DRAFT)
    data = report_form(report, status=Status.DRAFT)
    data.update(
        {
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-0-number": "1",
            "recommendations-0-heading": "Share the data",
            "recommendations-0-explanation": "",
            "recommendations-0-status": "not_recorded",
        }
    )
    assert curator_client.post(history_url(report, "change"), data).status_code == 302
    recommendation = Recommendation.objects.get(report=report)
    assert recommendation.history.get().history_user == curator


def test_two_versions_compare_side_by_side(curator_client):
    report = factories.ReportFactory(title="First words", summary="Kept the same")
    first = report.history.latest()
    report.title = "Second words"
    report.save()
    second = report.history.latest()

    page = curator_client.get(
        history_url(report, "history_compare"),
        {"from": first.history_id, "to": second.history_id},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "First words" in html and "Second words" in html
    assert html.count('class="history-changed"') == 1
    assert "Kept the same" in html


def test_compare_without_two_versions_goes_back_with_a_message(curator_client):
    report = factories.ReportFactory()
    response = curator_client.get(history_url(report, "history_compare"), follow=True)
    assert "Choose two versions to compare" in response.content.decode()


def test_revert_restores_the_words_but_not_the_state_nor_the_pdf_text(curator_client):
    report = factories.ReportFactory(title="Original", body="Original body", status=Status.DRAFT)
    original = report.history.latest()
    Report.objects.filter(pk=report.pk).update(pdf_text="Words read from the PDF")
    report.refresh_from_db()
    report.title, report.body, report.status = "Edited", "Edited body", Status.PUBLISHED
    report.save()

    form = curator_client.get(history_url(report, "simple_history", original.history_id))
    assert form.status_code == 200
    assert "Original body" in form.content.decode()
    data = report_form(report, title="Original", body="Original body", status=Status.DRAFT)
    inline_prefixes = ("recommendations", "alignment_rows", "publishing")
    for key in [k for k in data if k.startswith(inline_prefixes)]:
        del data[key]
    response = curator_client.post(history_url(report, "simple_history", original.history_id), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    report.refresh_from_db()
    assert (report.title, report.body) == ("Original", "Original body")
    # Not the old version's state: the report was public, and a curator reverted it, so
    # it goes back through review (publishing.admin.PublishableAdmin.after_revert).
    assert report.status == Status.IN_REVIEW
    assert report.pdf_text == "Words read from the PDF"
    assert report.history.latest().history_change_reason == (
        f"Reverted to version {original.history_id}"
    )


def test_history_pages_are_for_staff_only(client):
    report = factories.ReportFactory()
    response = client.get(history_url(report))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_history_page_costs_a_flat_number_of_queries(
    curator_client, django_assert_max_num_queries
):
    report = factories.ReportFactory()

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert curator_client.get(history_url(report)).status_code == 200
        return len(captured)

    # Two versions: the first one with changes to list (and links to read for them).
    report.save()
    few = count()
    for n in range(8):
        report.title = f"Title {n}"
        report.save()
    assert count() <= few + 1


# Links: a version keeps what the item was linked to (simple-history's m2m_fields).


@pytest.fixture
def relinked(curator_client):
    """A draft report first about one theme, then, edited in the admin, about another."""
    first_theme = factories.ThemeFactory(short_name="First theme")
    second_theme = factories.ThemeFactory(short_name="Second theme")
    report = factories.ReportFactory(status=Status.DRAFT, themes=[first_theme])
    report.save()  # a version that has the first theme
    linked = report.history.latest()
    data = report_form(report, status=Status.DRAFT, themes=[str(second_theme.pk)])
    assert curator_client.post(history_url(report, "change"), data).status_code == 302
    return report, linked, first_theme, second_theme


def test_a_version_keeps_the_themes_the_report_had(relinked):
    report, linked, first_theme, second_theme = relinked
    assert [row.theme for row in linked.themes.all()] == [first_theme]
    assert [row.theme for row in report.history.latest().themes.all()] == [second_theme]


def test_compare_shows_a_change_of_themes(curator_client, relinked):
    report, linked, _first, _second = relinked
    page = curator_client.get(
        history_url(report, "history_compare"),
        {"from": linked.history_id, "to": report.history.latest().history_id},
    )
    row = next(row for row in page.context["rows"] if row["label"] == "themes")
    assert row["changed"] and (row["old"], row["new"]) == ("First theme", "Second theme")
    table = page.content.decode().split('id="history-compare"', 1)[1].split("</table>", 1)[0]
    assert "Themes <strong>changed</strong>" in table and "Second theme" in table


def test_revert_restores_the_themes_of_the_version(curator_client, relinked):
    report, linked, first_theme, _second = relinked
    url = history_url(report, "simple_history", linked.history_id)
    form = curator_client.get(url).context["adminform"].form
    assert [int(pk) for pk in form["themes"].value()] == [first_theme.pk]
    data = report_form(
        report, status=Status.DRAFT, themes=[str(pk) for pk in form["themes"].value()]
    )
    inline_prefixes = ("recommendations", "alignment_rows", "publishing")
    data = {k: v for k, v in data.items() if not k.startswith(inline_prefixes)}
    assert curator_client.post(url, data).status_code == 302
    assert list(report.themes.all()) == [first_theme]


# Tags: kept by name beside the links (history/tags.py), compared and reverted the same way.


@pytest.fixture
def retagged(curator_client):
    """A draft report tagged "county lines", then, edited in the admin, two other tags."""
    report = factories.ReportFactory(status=Status.DRAFT)
    report.tags.add("county lines")
    tagged = report.history.latest()
    data = report_form(report, status=Status.DRAFT, tags="cuckooing, exploitation")
    assert curator_client.post(history_url(report, "change"), data).status_code == 302
    return report, tagged


def test_a_version_keeps_the_tags_the_report_had(retagged):
    report, tagged = retagged
    assert tagged.tag_names == "county lines"
    assert report.history.latest().tag_names == "cuckooing\nexploitation"
    assert sorted(report.tags.names()) == ["cuckooing", "exploitation"]


def test_saving_the_same_tags_again_writes_no_version_for_them(curator_client, retagged):
    report, _tagged = retagged
    before = report.history.count()
    data = report_form(report, status=Status.DRAFT, tags="exploitation, cuckooing")
    assert curator_client.post(history_url(report, "change"), data).status_code == 302
    # The save itself is one version; the tags, unchanged, add none.
    assert report.history.count() == before + 1


def test_compare_and_the_history_list_show_a_change_of_tags(curator_client, retagged):
    report, tagged = retagged
    page = curator_client.get(
        history_url(report, "history_compare"),
        {"from": tagged.history_id, "to": report.history.latest().history_id},
    )
    row = next(row for row in page.context["rows"] if row["label"] == "tags")
    assert row["changed"] and (row["old"], row["new"]) == (
        "county lines",
        "cuckooing\nexploitation",
    )
    assert page.context["unversioned_links"] == []
    assert "neither compared here nor restored" not in page.content.decode()

    listing = curator_client.get(history_url(report)).content.decode()
    assert "tags" in listing.split("<tbody>", 1)[1].split("</tr>", 1)[0]


def test_revert_restores_the_tags_of_the_version(curator_client, retagged):
    report, tagged = retagged
    url = history_url(report, "simple_history", tagged.history_id)
    page = curator_client.get(url)
    assert 'value="&quot;county lines&quot;"' in page.content.decode()
    data = report_form(report, status=Status.DRAFT, tags='"county lines"')
    inline_prefixes = ("recommendations", "alignment_rows", "publishing")
    data = {k: v for k, v in data.items() if not k.startswith(inline_prefixes)}
    assert curator_client.post(url, data).status_code == 302
    assert list(report.tags.names()) == ["county lines"]
    assert report.history.latest().tag_names == "county lines"


def test_a_version_from_before_tags_were_kept_leaves_them_as_they_are(curator_client, retagged):
    report, tagged = retagged
    type(tagged).objects.filter(history_id=tagged.history_id).update(tag_names=None)
    page = curator_client.get(
        history_url(report, "history_compare"),
        {"from": tagged.history_id, "to": report.history.latest().history_id},
    )
    row = next(row for row in page.context["rows"] if row["label"] == "tags")
    assert (row["old"], row["changed"]) == ("not recorded", False)
    form = curator_client.get(history_url(report, "simple_history", tagged.history_id))
    box = form.content.decode().split('name="tags"', 1)[1].split(">", 1)[0]
    assert "cuckooing, exploitation" in box and "county" not in box


def test_a_deleted_report_keeps_its_last_tags(retagged):
    report, _tagged = retagged
    history = type(report).history
    pk = report.pk
    report.delete()
    assert history.filter(id=pk).latest().history_type == "-"
    assert history.filter(id=pk).latest().tag_names == "cuckooing\nexploitation"
