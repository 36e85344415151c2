"""Matching registrants to gaps: ranked by fit with the reason, confirmed by a curator."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from agenda import matching
from agenda.models import EmailTemplate, GapStatusChange, Introduction
from agenda.services import introduction_create
from involvement.models import InterestRegistration
from publishing.models import Status
from reports.models import KnowledgeGap
from tests import factories

pytestmark = pytest.mark.django_db
S = KnowledgeGap.Status


@pytest.fixture
def setting(theme):
    other = factories.ThemeFactory(short_name="Cyber", slug="cyber")
    report = factories.ReportFactory(themes=[theme])
    gaps = {
        "words": factories.KnowledgeGapFactory(
            analysis=None,
            report=report,
            question="How is cryptocurrency used to launder money?",
            detail="Exchanges and mixers.",
            theme=other,
        ),
        "theme": factories.KnowledgeGapFactory(
            analysis=None, report=report, question="Who recruits couriers?", theme=theme
        ),
        "none": factories.KnowledgeGapFactory(
            analysis=None, report=report, question="What do victims need?", theme=other
        ),
        "answered": factories.KnowledgeGapFactory(
            analysis=None,
            report=report,
            question="Cryptocurrency answered long ago?",
            theme=theme,
            status=S.ANSWERED,
        ),
        "draft": factories.KnowledgeGapFactory(
            analysis=None,
            report=factories.ReportFactory(status=Status.DRAFT),
            question="Cryptocurrency in a draft?",
            theme=theme,
        ),
    }
    registration = factories.InterestRegistrationFactory(
        name="Ada Lovelace", themes=[theme], expertise="cryptocurrency, network analysis"
    )
    return gaps, registration, theme, other


def test_a_registration_sees_open_public_gaps_ranked_with_the_reason(setting):
    gaps, registration, theme, _ = setting

    fits = matching.gaps_for_registration(registration)

    shown = [fit.gap for fit in fits]
    assert gaps["words"] in shown and gaps["theme"] in shown
    assert gaps["none"] not in shown
    assert gaps["answered"] not in shown and gaps["draft"] not in shown
    words = next(f for f in fits if f.gap == gaps["words"])
    assert words.search_score > 0
    assert [w.lower() for w in words.words] == ["cryptocurrency"]
    assert words.reason.startswith("Words of their expertise in the gap: cryptocurrency")
    by_theme = next(f for f in fits if f.gap == gaps["theme"])
    assert by_theme.reason == f"Themes in common: {theme.short_name}"


def test_choosing_a_gap_on_the_form_ranks_it_first(setting):
    gaps, registration, _, _ = setting
    registration.chosen_gaps.add(gaps["none"])

    fits = matching.gaps_for_registration(registration)

    assert fits[0].gap == gaps["none"]
    assert fits[0].reason.startswith("Chose this gap on the form")


def test_a_gap_sees_only_registrants_who_consented_and_are_open(setting, theme):
    gaps, registration, _, _ = setting
    no_consent = factories.InterestRegistrationFactory(
        themes=[theme], consent=False, expertise="cryptocurrency"
    )
    closed = factories.InterestRegistrationFactory(
        themes=[theme], status=InterestRegistration.Status.CLOSED, expertise="cryptocurrency"
    )
    unrelated = factories.InterestRegistrationFactory(themes=[], expertise="poetry")

    fits = matching.registrations_for_gap(gaps["words"])

    people = [fit.registration for fit in fits]
    assert people == [registration]
    assert no_consent not in people and closed not in people and unrelated not in people
    assert matching.gaps_for_registration(no_consent) == []


def test_the_registrant_who_chose_a_gap_ranks_first_for_it(setting, theme):
    gaps, registration, _, _ = setting
    chooser = factories.InterestRegistrationFactory(name="Chooser", themes=[], expertise="")
    chooser.chosen_gaps.add(gaps["theme"])

    fits = matching.registrations_for_gap(gaps["theme"])

    assert [f.registration for f in fits] == [chooser, registration]


def admin_change(gap=None, registration=None):
    if gap is not None:
        return reverse("admin:reports_knowledgegap_change", args=[gap.pk])
    return reverse("admin:involvement_interestregistration_change", args=[registration.pk])


def test_the_admin_shows_the_ranking_on_both_sides(curator_client, setting):
    gaps, registration, _, _ = setting

    page = curator_client.get(admin_change(registration=registration)).content.decode()
    ranking = page[page.index('<table class="empac-fits">') :]
    ranking = ranking[: ranking.index("</table>")]
    assert gaps["words"].question in ranking
    assert "Words of their expertise in the gap: cryptocurrency" in ranking
    assert gaps["draft"].question not in ranking and gaps["answered"].question not in ranking

    page = curator_client.get(admin_change(gap=gaps["words"]))
    assertContains(page, "Ada Lovelace")
    assertContains(page, "Confirm match")


def test_confirming_a_match_records_who_and_when_and_emails_nobody(
    curator_client, curator, setting
):
    gaps, registration, _, _ = setting
    gap = gaps["words"]
    pair = f"{registration.pk}-{gap.pk}"

    response = curator_client.post(
        reverse("admin:reports_knowledgegap_confirm_match", args=[gap.pk]),
        {"confirm": pair, f"reason-{pair}": "Shares a theme"},
    )

    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert introduction.registration == registration and introduction.gap == gap
    assert introduction.confirmed_by == curator and introduction.confirmed_at
    assert introduction.status == Introduction.Status.PROPOSED
    assert introduction.reason == "Shares a theme"
    registration.refresh_from_db()
    assert registration.status == InterestRegistration.Status.MATCHED
    assert gap in registration.matched_gaps.all()
    assert KnowledgeGap.objects.get(pk=gap.pk).status == S.IDENTIFIED
    assert mail.outbox == []


def test_confirming_when_work_started_moves_the_gap_in_the_same_step(
    curator_client, curator, setting
):
    gaps, registration, _, _ = setting
    gap = gaps["theme"]
    pair = f"{registration.pk}-{gap.pk}"

    curator_client.post(
        reverse("admin:involvement_interestregistration_confirm_match", args=[registration.pk]),
        {"confirm": pair, "work_started": [pair]},
    )

    assert Introduction.objects.get().status == Introduction.Status.WORKING
    gap.refresh_from_db()
    assert gap.status == S.BEING_RESEARCHED and gap.status_changed_at
    change = GapStatusChange.objects.get()
    assert (change.previous_status, change.status, change.changed_by) == (
        S.IDENTIFIED,
        S.BEING_RESEARCHED,
        curator,
    )
    assert mail.outbox == []


def test_a_match_with_someone_who_did_not_consent_is_refused(curator_client, setting, theme):
    gaps, _, _, _ = setting
    refused = factories.InterestRegistrationFactory(themes=[theme], consent=False)
    pair = f"{refused.pk}-{gaps['theme'].pk}"
    response = curator_client.post(
        reverse("admin:reports_knowledgegap_confirm_match", args=[gaps["theme"].pk]),
        {"confirm": pair},
        follow=True,
    )
    assert response.status_code == 200
    assertContains(response, "could not be confirmed")
    assert not Introduction.objects.exists()


def test_a_match_confirmed_twice_is_kept_once(curator, setting):
    gaps, registration, _, _ = setting
    introduction_create(registration=registration, gap=gaps["theme"], user=curator)
    with pytest.raises(Exception, match="already matched"):
        introduction_create(registration=registration, gap=gaps["theme"], user=curator)
    assert Introduction.objects.count() == 1


def test_the_curator_edits_the_email_before_it_is_sent(curator_client, curator, setting):
    gaps, registration, _, _ = setting
    introduction = introduction_create(registration=registration, gap=gaps["theme"], user=curator)
    EmailTemplate.objects.create(
        key="introduction",
        subject="About {{ question }}",
        body="Dear {{ name }}, see {{ gap_url }}",
    )
    url = reverse("admin:agenda_introduction_email", args=[introduction.pk])

    draft = curator_client.get(url)
    assertContains(draft, "About Who recruits couriers?")
    assertContains(draft, "Dear Ada Lovelace, see")
    assert mail.outbox == []

    curator_client.post(url, {"subject": "Edited subject", "body": "Edited body."})

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to) == (
        "Edited subject",
        "Edited body.",
        [registration.email],
    )
    introduction.refresh_from_db()
    assert introduction.email_sent_by == curator and introduction.email_sent_at
    assert introduction.status == Introduction.Status.INTRODUCED


def test_an_empty_email_is_not_sent(curator_client, curator, setting):
    gaps, registration, _, _ = setting
    introduction = introduction_create(registration=registration, gap=gaps["theme"], user=curator)
    url = reverse("admin:agenda_introduction_email", args=[introduction.pk])
    response = curator_client.post(url, {"subject": "", "body": ""})
    assert response.status_code == 200
    assert mail.outbox == []


def test_moving_an_introduction_to_working_together_can_move_the_gap(
    curator_client, curator, setting
):
    gaps, registration, _, _ = setting
    introduction = introduction_create(registration=registration, gap=gaps["theme"], user=curator)
    url = reverse("admin:agenda_introduction_change", args=[introduction.pk])

    response = curator_client.post(
        url, {"status": "working", "notes": "Started in May", "gap_being_researched": "on"}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.WORKING and introduction.status_changed_at
    assert introduction.notes == "Started in May"
    assert KnowledgeGap.objects.get(pk=gaps["theme"].pk).status == S.BEING_RESEARCHED


def test_changing_a_gaps_status_in_the_admin_records_a_dated_change(editor_client, editor, setting):
    # An editor's: a curator's edit of a public gap waits for review, and is recorded
    # when applied (tests/publishing/test_child_review.py).
    curator_client, curator = editor_client, editor
    gaps, _, _, _ = setting
    gap = gaps["theme"]
    page = curator_client.get(admin_change(gap=gap))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(
        {
            "status": "scoped",
            "report": gap.report_id,
            "theme": gap.theme_id,
            "raised_on": "",
            "answered_by": "",
            "analysis": "",
            "publishing-provenance-content_type-object_id-TOTAL_FORMS": "0",
            "publishing-provenance-content_type-object_id-INITIAL_FORMS": "0",
        }
    )
    response = curator_client.post(admin_change(gap=gap), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = GapStatusChange.objects.get()
    assert (change.previous_status, change.status, change.changed_by) == (
        S.IDENTIFIED,
        S.SCOPED,
        curator,
    )


def test_a_status_changed_in_the_gap_list_is_recorded_dated(editor_client, editor, setting):
    curator_client, curator = editor_client, editor  # an editor's edit applies at once
    gaps, _, _, _ = setting
    gap = gaps["theme"]
    changelist = reverse("admin:reports_knowledgegap_changelist")
    page = curator_client.get(changelist)
    formset = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(formset.forms)),
        "_save": "Save",
    }
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = str(form.instance.pk)
        status = "scoped" if form.instance.pk == gap.pk else form.instance.status
        data[f"form-{i}-status"] = status
    response = curator_client.post(changelist, data)
    assert response.status_code == 302
    change = GapStatusChange.objects.get()
    assert (change.gap, change.status, change.changed_by) == (gap, S.SCOPED, curator)
