"""Writes that span models or leave the process: status changes, matches, introduction emails."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone

from involvement.models import InterestRegistration
from reports.models import KnowledgeGap

from .models import EmailTemplate, GapStatusChange, Introduction

logger = logging.getLogger(__name__)

INTRODUCTION_TEMPLATE = "introduction"
DEFAULT_INTRODUCTION = {
    "subject": "A question you could help EMPAC answer",
    "body": (
        "Dear {{ name }},\n\n"
        "Thank you for offering to work with the East Midlands Police Academic "
        "Collaboration. A curator has read your registration and thinks your expertise "
        "fits this open question:\n\n"
        "    {{ question }}\n    {{ gap_url }}\n\n"
        "If you would like to be introduced to the people working on it, reply to this "
        "email and we will put you in touch. If not, there is nothing you need to do.\n\n"
        "{{ curator }}\n{{ site_name }}\n"
    ),
}


def gap_status_set(
    *, gap: KnowledgeGap, status: str, user=None, note: str = "", previous: str | None = None
) -> GapStatusChange | None:
    """Give a gap a new status and record the dated change; nothing if it is unchanged."""
    previous = gap.status if previous is None else previous
    if previous == status:
        return None
    with transaction.atomic():
        if gap.status != status:
            gap.status = status
            gap.full_clean()
            gap.save()
        return GapStatusChange.objects.create(
            gap=gap, previous_status=previous, status=status, changed_by=user, note=note
        )


def introduction_create(
    *,
    registration: InterestRegistration,
    gap: KnowledgeGap,
    user,
    reason: str = "",
    work_started: bool = False,
) -> Introduction:
    """A curator confirms a match: recorded with who and when; nobody is emailed.

    With ``work_started`` the introduction is already working together and the gap moves
    to being researched, in the same transaction.
    """
    if not registration.consent:
        raise ValidationError("This person did not agree to be contacted.")
    if not gap.is_open:
        raise ValidationError("This gap is no longer open.")
    status = Introduction.Status.WORKING if work_started else Introduction.Status.PROPOSED
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                registration=registration,
                gap=gap,
                status=status,
                reason=reason,
                confirmed_by=user,
                confirmed_at=timezone.now(),
                status_changed_at=timezone.now(),
            )
            registration.matched_gaps.add(gap)
            if registration.status in (
                InterestRegistration.Status.NEW,
                InterestRegistration.Status.CONTACTED,
            ):
                registration.status = InterestRegistration.Status.MATCHED
                registration.save(update_fields=["status", "updated_at"])
            if work_started:
                gap_status_set(
                    gap=gap,
                    status=KnowledgeGap.Status.BEING_RESEARCHED,
                    user=user,
                    note="Work began through an introduction made by the collaboration.",
                )
    except IntegrityError as exc:
        raise ValidationError("This person is already matched to this gap.") from exc
    return introduction


def introduction_status_set(
    *, introduction: Introduction, status: str, user=None, gap_being_researched: bool = False
) -> Introduction:
    """Move an introduction on; with ``gap_being_researched`` its gap moves too."""
    with transaction.atomic():
        if introduction.status != status:
            introduction.status = status
            introduction.status_changed_at = timezone.now()
            introduction.save(update_fields=["status", "status_changed_at"])
        gap = introduction.gap
        if gap_being_researched and gap.status != KnowledgeGap.Status.BEING_RESEARCHED:
            gap_status_set(gap=gap, status=KnowledgeGap.Status.BEING_RESEARCHED, user=user)
    return introduction


def introduction_template() -> EmailTemplate:
    template, _ = EmailTemplate.objects.get_or_create(
        key=INTRODUCTION_TEMPLATE, defaults=DEFAULT_INTRODUCTION
    )
    return template


def introduction_draft(*, introduction: Introduction, user) -> dict:
    """The email as the template words it for this introduction, for a curator to edit."""
    template = introduction_template()
    gap = introduction.gap
    context = Context(
        {
            "name": introduction.registration.name,
            "question": gap.question,
            "gap_url": settings.EMPAC_SITE_URL
            + reverse("agenda:gap-detail", kwargs={"pk": gap.pk}),
            "curator": user.get_full_name() or user.get_username(),
            "site_name": settings.SITE_NAME,
        },
        autoescape=False,
    )
    try:
        subject = Template(template.subject).render(context)
        body = Template(template.body).render(context)
    except TemplateSyntaxError:
        subject, body = template.subject, template.body
    return {"to": introduction.registration.email, "subject": subject.strip(), "body": body}


def introduction_email_send(
    *, introduction: Introduction, user, subject: str, body: str
) -> Introduction:
    """Send the email a curator approved, exactly as they left it, and record it."""
    if not subject.strip() or not body.strip():
        raise ValidationError("An email needs a subject and a message.")
    message = EmailMessage(
        subject=subject.strip(),
        body=body,
        to=[introduction.registration.email],
        reply_to=settings.EMPAC_CURATOR_EMAILS or None,
    )
    message.send(fail_silently=False)
    now = timezone.now()
    introduction.email_sent_at, introduction.email_sent_by = now, user
    introduction.email_subject, introduction.email_body = subject.strip(), body
    fields = ["email_sent_at", "email_sent_by", "email_subject", "email_body"]
    if introduction.status == Introduction.Status.PROPOSED:
        introduction.status, introduction.status_changed_at = Introduction.Status.INTRODUCED, now
        fields += ["status", "status_changed_at"]
    introduction.save(update_fields=fields)
    return introduction
