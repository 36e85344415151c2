"""The index follows the content: publish, unpublish, delete and re-link show on the next search."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from collaboration.models import Role
from publishing.models import Status
from reports.models import Report
from search.documents import BY_MODEL
from search.models import Entry
from tests import factories
from tests.pdfs import pdf_with_text
from tests.search.conftest import facet_options, titles

pytestmark = pytest.mark.django_db


def indexed(model) -> set[int]:
    return set(Entry.objects.filter(kind=BY_MODEL[model].code).values_list("object_id", flat=True))


def test_the_index_holds_only_what_is_published():
    public = factories.ReportFactory(title="Cuckooing in market towns")
    draft = factories.ReportFactory(title="Cuckooing draft", status=Status.DRAFT)

    assert public.pk in indexed(Report)
    assert draft.pk not in indexed(Report)


def test_a_report_published_is_found_on_the_next_search(search):
    report = factories.ReportFactory(title="Cuckooing in market towns", status=Status.DRAFT)
    assert titles(search("cuckooing")) == []

    report.status = Status.PUBLISHED
    report.save()

    assert titles(search("cuckooing")) == [report.title]


def test_a_report_unpublished_or_deleted_is_gone_at_once(search):
    kept = factories.ReportFactory(title="Cuckooing in rural areas")
    withdrawn = factories.ReportFactory(title="Cuckooing in market towns")
    deleted = factories.ReportFactory(title="Cuckooing in cities")

    withdrawn.status = Status.DRAFT
    withdrawn.save()
    deleted.delete()

    assert titles(search("cuckooing")) == [kept.title]
    assert indexed(Report) == {kept.pk}


def test_publishing_from_the_admin_list_updates_the_index(editor_client, search):
    report = factories.ReportFactory(title="Cuckooing in market towns", status=Status.DRAFT)

    editor_client.post(
        "/admin/reports/report/", {"action": "publish", "_selected_action": [report.pk]}
    )

    assert titles(search("cuckooing")) == [report.title]


def test_recommendations_are_searchable_and_follow_their_edits(search):
    report = factories.ReportFactory(title="Progress report")
    advice = factories.RecommendationFactory(report=report, heading="Appoint a cuckooing lead")
    assert titles(search("cuckooing")) == [report.title]

    advice.heading = "Appoint a safeguarding lead"
    advice.save()
    assert titles(search("cuckooing")) == []
    assert titles(search("safeguarding")) == [report.title]

    advice.delete()
    assert titles(search("safeguarding")) == []


def test_alignment_rows_are_searchable(search):
    report = factories.ReportFactory(title="Progress report")
    factories.AlignmentRowFactory(report=report, activity="Mapping of cuckooing addresses")

    assert titles(search("cuckooing")) == [report.title]


def test_changing_tags_updates_the_text_and_the_facets(search):
    report = factories.ReportFactory(title="Progress report", tags=["cuckooing"])
    assert titles(search("cuckooing")) == [report.title]

    report.tags.set(["fraud"])
    assert titles(search("cuckooing")) == []
    assert facet_options(search("progress"), "tag") == {"fraud": 1}

    report.tags.clear()
    assert facet_options(search("progress"), "tag") == {}


def test_re_linking_themes_from_either_side_updates_the_facets(search):
    first, second = (
        factories.ThemeFactory(short_name="First"),
        factories.ThemeFactory(short_name="Second"),
    )
    report = factories.ReportFactory(title="Progress report", themes=[first])
    assert facet_options(search("progress"), "theme") == {"First": 1}

    report.themes.set([second])
    assert facet_options(search("progress"), "theme") == {"Second": 1}

    second.reports.remove(report)
    first.reports.add(report)
    assert facet_options(search("progress"), "theme") == {"First": 1}

    first.reports.clear()
    assert facet_options(search("progress"), "theme") == {}


def test_a_gap_analysis_leaves_the_index_with_its_report():
    report = factories.ReportFactory()
    analysis = factories.GapAnalysisFactory(report=report)
    gap = factories.KnowledgeGapFactory(analysis=analysis)
    assert analysis.pk in indexed(analysis.__class__)
    assert gap.pk in indexed(gap.__class__)

    report.status = Status.DRAFT
    report.save()
    assert analysis.pk not in indexed(analysis.__class__)
    assert gap.pk not in indexed(gap.__class__)

    report.delete()  # the analysis stands alone now, so it is public again
    assert analysis.pk in indexed(analysis.__class__)


def test_a_persons_roles_are_searchable_with_their_themes_names(search):
    theme = factories.ThemeFactory(short_name="Understanding international links")
    person = factories.PersonFactory(name="Rob McCusker")
    role = factories.RoleFactory(person=person, kind=Role.Kind.THEME_LEAD, theme=theme)

    assert "Dr Rob McCusker" in titles(search("international links"))

    theme.status = Status.DRAFT
    theme.save()
    assert "Dr Rob McCusker" not in titles(search("international links"))

    theme.status = Status.PUBLISHED
    theme.save()
    role.delete()
    assert "Dr Rob McCusker" not in titles(search("international links"))


def test_the_text_of_a_reports_pdf_is_searchable(search):
    report = factories.ReportFactory(title="Progress report")
    report.pdf.save("report.pdf", ContentFile(pdf_with_text("Hawala banking networks")))

    assert titles(search("hawala")) == [report.title]

    report.pdf.delete()
    assert titles(search("hawala")) == []


def test_rebuild_empties_then_fills_with_counts(capsys):
    factories.ReportFactory.create_batch(3)
    factories.ReportFactory(status=Status.DRAFT)
    Entry.objects.all().delete()  # as after a restore: the index has nothing

    call_command("rebuild_search_index")

    output = capsys.readouterr().out
    assert "3 reports" in output and "Indexed" in output
    assert "[##############################] 3/3" in output
    assert len(indexed(Report)) == 3


def test_after_a_rebuild_searches_see_the_new_index_at_once(search):
    report = factories.ReportFactory(title="Hawala networks")
    Entry.objects.all().delete()  # as after a restore
    assert titles(search("hawala")) == []

    call_command("rebuild_search_index", stdout=StringIO())

    # Not the page cached a moment ago, nor what searches remembered of the old index.
    assert titles(search("hawala")) == [report.title]


def test_what_update_indexes_is_found_by_prefix_at_once(search):
    report = factories.ReportFactory(title="Hawala networks", status=Status.DRAFT)
    assert titles(search("hawal")) == []  # searches now remember "hawal" completes nothing
    # Public without a write that indexes it (a rule that depends on the clock, say).
    Report.objects.filter(pk=report.pk).update(status=Status.PUBLISHED)

    call_command("update_search_index", stdout=StringIO())

    assert titles(search("hawal")) == [report.title]


def test_update_adds_what_became_public_without_a_write_and_drops_what_stopped(capsys):
    waiting = factories.ReportFactory(status=Status.DRAFT)
    leaving = factories.ReportFactory()
    # QuerySet.update() sends no signal, as a visibility rule that depends on the clock.
    Report.objects.filter(pk=waiting.pk).update(status=Status.PUBLISHED)
    Report.objects.filter(pk=leaving.pk).update(status=Status.DRAFT)

    call_command("update_search_index")

    assert "Reports: 1 added, 1 removed." in capsys.readouterr().out
    assert indexed(Report) == {waiting.pk}
    call_command("update_search_index")
    assert "up to date" in capsys.readouterr().out
