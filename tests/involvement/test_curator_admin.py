"""The curators' side: list, filter, search, follow up, export, and suggested knowledge gaps."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from involvement.admin import csv_safe
from involvement.models import InterestRegistration
from reports.models import KnowledgeGap
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:involvement_interestregistration_changelist")
SCRIPT = "<script>alert('x')</script>"


def change_url(registration):
    return reverse("admin:involvement_interestregistration_change", args=[registration.pk])


def listed(response):
    return list(response.context["cl"].result_list)


def change_form(registration, **fields):
    data = {
        "status": registration.status,
        "handled_by": "",
        "curator_notes": registration.curator_notes,
        "matched_gaps": [],
        "matched_reports": [],
        "name": registration.name,
        "email": registration.email,
        "institution": registration.institution,
        "role": registration.role,
        "discipline": registration.discipline,
        "discipline_other": registration.discipline_other,
        "themes": [theme.pk for theme in registration.themes.all()],
        "expertise": registration.expertise,
        "message": registration.message,
    }
    data.update(fields)
    return data


def run_action(client, name, registrations, **extra):
    return client.post(
        CHANGELIST,
        {"action": name, "index": "0", "_selected_action": [r.pk for r in registrations], **extra},
    )


@pytest.fixture
def registrations(themes):
    first = factories.InterestRegistrationFactory(
        name="Priya Shah", email="priya@dmu.example.ac.uk", themes=[themes[0]]
    )
    second = factories.InterestRegistrationFactory(
        name="Tom Reid",
        email="tom@police.example.uk",
        expertise="county lines, exploitation",
        themes=[themes[1]],
        status=InterestRegistration.Status.CONTACTED,
    )
    return first, second


def test_curator_sees_registrations_with_status_and_who_handles_them(
    curator_client, registrations, curator
):
    InterestRegistration.objects.filter(pk=registrations[0].pk).update(handled_by=curator)

    response = curator_client.get(CHANGELIST)
    html = response.content.decode()

    assert response.status_code == 200
    assert set(listed(response)) == set(registrations)
    assert "Priya Shah" in html and "Tom Reid" in html
    assert "Contacted" in html and "New" in html
    assert ">cora<" in html
    assert "Published theme 1" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=contacted", ["Tom Reid"]),
        ("status__exact=new", ["Priya Shah"]),
        ("q=tom%40police", ["Tom Reid"]),
        ("q=county+lines", ["Tom Reid"]),
        ("q=priya", ["Priya Shah"]),
        ("notified=no", ["Priya Shah", "Tom Reid"]),
        ("notified=yes", []),
    ],
)
def test_filters_and_search_narrow_the_list(curator_client, registrations, query, expected):
    response = curator_client.get(f"{CHANGELIST}?{query}")

    assert sorted(r.name for r in listed(response)) == expected


def test_filter_by_theme_and_by_date(curator_client, registrations, themes):
    old = registrations[1]
    InterestRegistration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )

    by_theme = curator_client.get(f"{CHANGELIST}?themes__id__exact={themes[1].pk}")
    this_year = timezone.now().year
    by_year = curator_client.get(f"{CHANGELIST}?created_at__year={this_year}")
    # The date filter's own link, which bounds the week by aware local midnights.
    links = curator_client.get(CHANGELIST).content.decode()
    past_week = unescape(re.search(r'href="(\?created_at__gte=[^"]+)">Past 7 days<', links)[1])
    last_week = curator_client.get(f"{CHANGELIST}{past_week}")

    assert [r.name for r in listed(by_theme)] == ["Tom Reid"]
    assert "Priya Shah" in [r.name for r in listed(by_year)]
    assert [r.name for r in listed(last_week)] == ["Priya Shah"]


def test_curator_changes_status_handler_and_notes(curator_client, registrations, curator):
    registration = registrations[0]

    response = curator_client.post(
        change_url(registration),
        change_form(
            registration,
            status="contacted",
            handled_by=curator.pk,
            curator_notes="Emailed on Monday; suggested the county lines gap.",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.status == "contacted"
    assert registration.handled_by == curator
    assert registration.curator_notes.startswith("Emailed on Monday")


def test_closing_starts_the_retention_clock_and_reopening_stops_it(curator_client, registrations):
    registration = registrations[0]

    curator_client.post(change_url(registration), change_form(registration, status="closed"))
    registration.refresh_from_db()
    assert registration.closed_at is not None

    curator_client.post(change_url(registration), change_form(registration, status="contacted"))
    registration.refresh_from_db()
    assert registration.closed_at is None


def test_consent_record_cannot_be_altered_in_the_admin(curator_client, registrations):
    registration = registrations[0]
    original = InterestRegistration.objects.filter(pk=registration.pk).values_list(
        "consent", "privacy_notice_version"
    )[0]

    curator_client.post(
        change_url(registration),
        change_form(registration, consent="", privacy_notice_version="forged"),
    )

    assert (
        InterestRegistration.objects.filter(pk=registration.pk).values_list(
            "consent", "privacy_notice_version"
        )[0]
        == original
    )


def test_registrations_are_not_added_by_hand(curator_client):
    assert curator_client.get(f"{CHANGELIST}add/").status_code == 403


def test_change_page_suggests_open_published_gaps_in_the_registrations_themes(
    curator_client, registrations, themes
):
    analysis = factories.GapAnalysisFactory()
    draft_analysis = factories.GapAnalysisFactory(status="draft")
    theme_wide = factories.GapAnalysisFactory()
    theme_wide.themes.set([themes[0]])
    factories.KnowledgeGapFactory(analysis=analysis, theme=themes[0], question="Open in theme?")
    factories.KnowledgeGapFactory(
        analysis=analysis,
        theme=themes[0],
        question="Already answered?",
        status=KnowledgeGap.Status.ANSWERED,
    )
    factories.KnowledgeGapFactory(analysis=analysis, theme=themes[3], question="Other theme?")
    factories.KnowledgeGapFactory(analysis=draft_analysis, theme=themes[0], question="Draft?")
    factories.KnowledgeGapFactory(analysis=theme_wide, theme=None, question="From the analysis?")

    html = curator_client.get(change_url(registrations[0])).content.decode()
    suggestions = re.search(r'<ul class="empac-suggestions">(.*?)</ul>', html, re.S)[1]

    assert "Open in theme?" in suggestions
    assert "From the analysis?" in suggestions
    assert "Already answered?" not in suggestions
    assert "Other theme?" not in suggestions
    assert "Draft?" not in suggestions


def test_change_page_says_when_there_is_nothing_to_suggest(curator_client, registrations):
    html = curator_client.get(change_url(registrations[0])).content.decode()

    assert "No open knowledge gaps in these themes yet." in html


def test_user_html_is_escaped_in_the_admin_list_and_change_page(curator_client, themes):
    registration = factories.InterestRegistrationFactory(
        name=SCRIPT, institution=SCRIPT, message=SCRIPT, themes=[themes[0]]
    )

    for url in (CHANGELIST, change_url(registration)):
        html = curator_client.get(url).content.decode()
        assert SCRIPT not in html
        assert "&lt;script&gt;" in html


def test_changelist_queries_do_not_grow_with_rows(curator_client, themes, curator):
    def count():
        with CaptureQueriesContext(connection) as captured:
            curator_client.get(CHANGELIST)
        return len(captured)

    factories.InterestRegistrationFactory(themes=themes[:2], handled_by=curator)
    few = count()
    factories.InterestRegistrationFactory.create_batch(6, themes=themes[:3], handled_by=curator)

    assert count() == few


def test_deleting_a_registration_leaves_no_name_in_the_admin_history(curator_client, registrations):
    registration = registrations[0]
    curator_client.post(change_url(registration), change_form(registration, status="contacted"))
    assert LogEntry.objects.filter(object_repr__contains="Priya").exists()

    delete_url = reverse("admin:involvement_interestregistration_delete", args=[registration.pk])
    curator_client.post(delete_url, {"post": "yes"})

    assert not InterestRegistration.objects.filter(pk=registration.pk).exists()
    assert not LogEntry.objects.filter(object_repr__contains="Priya").exists()
    assert LogEntry.objects.filter(object_repr=f"Registration #{registration.pk}").exists()


# CSV export.


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_downloads_the_selected_registrations(curator_client, registrations):
    response = run_action(curator_client, "export_csv", registrations)

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["id", "registered", "status", "handled by", "name", "email"]
    assert sorted(row[4] for row in rows[1:]) == ["Priya Shah", "Tom Reid"]
    assert any("county lines, exploitation" in row for row in rows)


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_made_plain_text(value):
    assert csv_safe(value) == "'" + value


def test_csv_export_defuses_formulas_typed_into_the_form(curator_client, themes):
    registration = factories.InterestRegistrationFactory(
        name='=cmd|"/c calc"!A1', institution="@evil", themes=[themes[0]]
    )

    rows = read_csv(run_action(curator_client, "export_csv", [registration]))

    assert rows[1][4] == '\'=cmd|"/c calc"!A1'
    assert rows[1][6] == "'@evil"
    assert csv_safe("Ordinary name") == "Ordinary name"
