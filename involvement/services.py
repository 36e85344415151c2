"""Writes that span models or leave the process: registering, emailing, erasing."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from collaboration.models import Theme

from .models import InterestRegistration

logger = logging.getLogger(__name__)


def registration_create(
    *,
    name: str,
    email: str,
    institution: str,
    discipline: str,
    themes: Iterable[Theme],
    consent: bool,
    role: str = "",
    discipline_other: str = "",
    expertise: str = "",
    message: str = "",
    submission_token: str | None = None,
) -> tuple[InterestRegistration, bool]:
    """Store a registration and enqueue the emails to curators and the registrant.

    Returns the registration and whether it is new: a token already used returns
    the registration stored for it, so a form sent twice is stored once.
    """
    if submission_token:
        existing = InterestRegistration.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": "Choose at least one theme."})
    if not consent:
        raise ValidationError({"consent": "A registration needs consent to be contacted."})

    registration = InterestRegistration(
        name=name,
        email=email,
        institution=institution,
        role=role,
        discipline=discipline,
        discipline_other=discipline_other,
        expertise=expertise,
        message=message,
        consent=True,
        consented_at=timezone.now(),
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        submission_token=submission_token or None,
    )
    # The unique constraint on submission_token, not a prior SELECT, settles
    # two copies of one form arriving at the same moment.
    registration.full_clean(validate_unique=False)
    from .tasks import registration_notify_task  # tasks import this module

    try:
        with transaction.atomic():
            registration.save()
            registration.themes.set(themes)
            # The emails go from the task worker, never this request: a mail server that
            # stalls holds no web worker. The task is a row committed with the
            # registration, so neither exists without the other.
            registration_notify_task.enqueue(registration.pk)
    except IntegrityError:
        existing = (
            InterestRegistration.objects.filter(submission_token=submission_token).first()
            if submission_token
            else None
        )
        if existing is None:
            raise
        return existing, False
    return registration, True


def registration_notify(*, registration: InterestRegistration) -> bool:
    """Email whichever of curators and registrant has not been told yet.

    Returns True when both have been. A failure is logged and left for
    `send_pending_notifications`; it never reaches the person registering.
    """
    sent_all = True
    messages = []
    if registration.notified_at is None:
        message = _curator_message(registration)
        if message is None:
            sent_all = False  # no curator address yet: waiting, not failing
        else:
            messages.append((message, "notified_at"))
    if registration.acknowledged_at is None:
        messages.append((_acknowledgement(registration), "acknowledged_at"))
    if messages:
        # Only real tries count towards giving up (settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS).
        # updated_at marks the try, so send_pending_notifications leaves it to the
        # worker's own retry for a while.
        InterestRegistration.objects.filter(pk=registration.pk).update(
            notification_attempts=F("notification_attempts") + 1, updated_at=timezone.now()
        )
    for message, field in messages:
        sent_all &= _send(registration, message, field)
    return sent_all


def _curator_message(registration: InterestRegistration) -> EmailMessage | None:
    recipients = settings.EMPAC_CURATOR_EMAILS
    if not recipients:
        logger.warning(
            "EMPAC_CURATOR_EMAILS is empty: registration %s waits until it is set.",
            registration.pk,
        )
        return None
    context = {
        "registration": registration,
        "themes": [theme.short_name for theme in registration.themes.all()],
        "admin_url": settings.EMPAC_SITE_URL + registration.get_admin_url(),
    }
    return EmailMessage(
        subject=f"New Get involved registration #{registration.pk} ({registration.reference})",
        body=render_to_string("involvement/emails/curator_notification.txt", context),
        to=recipients,
        # Curators can answer the registrant straight from their mail client.
        reply_to=[registration.email],
    )


def _acknowledgement(registration: InterestRegistration) -> EmailMessage:
    # Nothing the registrant typed goes into this email: otherwise anyone could
    # use the form to send their own text to an address of their choosing. It says
    # which parts arrived, and names only what they chose from our own lists.
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.EMPAC_SITE_URL,
        "reference": registration.reference,
        "themes": [theme.short_name for theme in registration.themes.all()],
        "discipline": registration.get_discipline_display(),
        "has_role": bool(registration.role),
        "has_expertise": bool(registration.expertise),
        "has_message": bool(registration.message),
        "reply_to": _reply_to(),
        "reply_within_days": settings.EMPAC_REPLY_WITHIN_WORKING_DAYS,
        "retention_days": settings.EMPAC_REGISTRATION_RETENTION_DAYS,
    }
    return EmailMessage(
        subject=f"We have received your offer to get involved (reference {registration.reference})",
        body=render_to_string("involvement/emails/acknowledgement.txt", context),
        to=[registration.email],
        reply_to=_reply_to(),
    )


def _reply_to() -> list[str]:
    """A mailbox a person reads: the configured reply address, else the curators'."""
    return (
        [settings.EMPAC_REPLY_TO_EMAIL]
        if settings.EMPAC_REPLY_TO_EMAIL
        else list(settings.EMPAC_CURATOR_EMAILS)
    )


def _send(registration: InterestRegistration, message: EmailMessage | None, field: str) -> bool:
    if message is None:
        return False
    try:
        message.send(fail_silently=False)
    except Exception:
        # Any backend failure (SMTP down, refused, misconfigured) is retried later.
        logger.exception("Could not send %s email for registration %s", field, registration.pk)
        return False
    sent_at = timezone.now()
    InterestRegistration.objects.filter(pk=registration.pk).update(**{field: sent_at})
    setattr(registration, field, sent_at)
    return True


def registration_notify_pending(
    *, older_than: datetime.timedelta, retry_given_up: bool = False
) -> tuple[int, int]:
    """Retry registrations still waiting for email; returns (completed, still pending).

    A registration tried EMPAC_NOTIFICATION_MAX_ATTEMPTS times is given up on (an address
    that always bounces would otherwise be retried, and reported, forever) unless
    ``retry_given_up``.
    """
    cutoff = timezone.now() - older_than
    limit = settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS
    # Not changed or tried for a while: the worker is not about to send it too.
    pending = InterestRegistration.objects.pending_notification().filter(updated_at__lte=cutoff)
    if not retry_given_up:
        pending = pending.filter(notification_attempts__lt=limit)
    completed = failed = 0
    for registration in pending.order_by("created_at").iterator():
        if registration_notify(registration=registration):
            completed += 1
            continue
        failed += 1
        if registration.notification_attempts + 1 >= limit:
            logger.error(
                "Giving up emailing for registration %s after %s attempts; "
                "'send_pending_notifications --retry-given-up' tries again.",
                registration.pk,
                limit,
            )
    return completed, failed


def registration_personal_data(*, email: str) -> dict:
    """Everything held about the person with this email address, for a subject access request."""
    registrations = (
        InterestRegistration.objects.for_email(email)
        .select_related("handled_by")
        .prefetch_related("themes", "matched_gaps", "matched_reports")
        .order_by("created_at", "pk")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "registrations": [_registration_record(r) for r in registrations],
    }


def _registration_record(registration: InterestRegistration) -> dict:
    def when(value):
        return value.isoformat() if value else None

    return {
        "id": registration.pk,
        "name": registration.name,
        "email": registration.email,
        "institution": registration.institution,
        "role": registration.role,
        "discipline": registration.get_discipline_display(),
        "discipline_other": registration.discipline_other,
        "themes": [theme.short_name for theme in registration.themes.all()],
        "expertise": registration.expertise,
        "message": registration.message,
        "consent": registration.consent,
        "consented_at": when(registration.consented_at),
        "privacy_notice_version": registration.privacy_notice_version,
        "status": registration.get_status_display(),
        "handled_by": registration.handled_by.get_username() if registration.handled_by else None,
        "curator_notes": registration.curator_notes,
        "matched_gaps": [str(gap) for gap in registration.matched_gaps.all()],
        "matched_reports": [str(report) for report in registration.matched_reports.all()],
        "notified_at": when(registration.notified_at),
        "acknowledged_at": when(registration.acknowledged_at),
        "created_at": when(registration.created_at),
        "updated_at": when(registration.updated_at),
        "closed_at": when(registration.closed_at),
    }


def registration_erase(*, email: str) -> int:
    """Delete every registration with this email address; returns how many."""
    return _delete_with_history(InterestRegistration.objects.for_email(email))


def registration_purge(*, retention_days: int, dry_run: bool = False) -> list[dict]:
    """Delete registrations closed longer ago than the retention period.

    Returns what was (or, in a dry run, would be) removed, without personal data.
    """
    due = InterestRegistration.objects.due_for_purge(retention_days=retention_days).order_by(
        "closed_at"
    )
    removed = [
        {"id": pk, "created_at": created, "closed_at": closed}
        for pk, created, closed in due.values_list("pk", "created_at", "closed_at")
    ]
    if not dry_run and removed:
        _delete_with_history(
            InterestRegistration.objects.filter(pk__in=[item["id"] for item in removed])
        )
    return removed


def registration_history_forget(*, ids) -> ContentType:
    """Delete the admin's history entries for these registrations: they keep each name."""
    content_type = ContentType.objects.get_for_model(InterestRegistration)
    LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in ids]
    ).delete()
    return content_type


def _delete_with_history(registrations: QuerySet) -> int:
    with transaction.atomic():
        ids = list(registrations.values_list("pk", flat=True))
        registration_history_forget(ids=ids)
        registrations.filter(pk__in=ids).delete()
    return len(ids)
