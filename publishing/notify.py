"""Editors are told by email when a curator's change to a public item waits for them,
and the curator when an editor has applied or rejected it.

Sent by the task worker (``publishing.background``), so a mail server that is down
delays the email and never the save. The emails name the item, who proposed or decided
and link to the admin; never the proposed values nor either note, which stay behind the
sign-in (the item's change page shows the last decision and its note).
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .background import TryLater, background
from .curators import PUBLISH_PERMISSION
from .models import PendingChange

logger = logging.getLogger(__name__)


def editor_addresses(*, leaving_out=None) -> list[str]:
    """The addresses of active users who may apply a change, but not ``leaving_out``'s."""
    editors = get_user_model().objects.with_perm(
        PUBLISH_PERMISSION, is_active=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    if leaving_out is not None:
        editors = editors.exclude(pk=leaving_out.pk)
    return sorted({email for email in editors.values_list("email", flat=True) if email})


def described(item) -> str:
    """How an email names ``item``: its kind and name, and for a row public with a parent
    (a report's recommendation, a person's role) the parent too, or the reader of
    “the recommendation “3”” cannot tell which report it belongs to."""
    name = f"the {item._meta.verbose_name} “{item}”"
    owner = admin.site._registry.get(type(item))
    for field in getattr(owner, "review_parents", ()):
        parent = getattr(item, field, None)
        if parent is not None:
            name += f" of the {parent._meta.verbose_name} “{parent}”"
    return name


def pending_change_message(change: PendingChange) -> EmailMessage | None:
    item = change.item
    recipients = editor_addresses(leaving_out=change.by)
    if item is None or not recipients:
        return None
    opts = item._meta
    review = reverse(f"admin:{opts.app_label}_{opts.model_name}_pending_change", args=[item.pk])
    context = {
        "item": described(item),
        "proposer": change.by.get_username() if change.by else "a former curator",
        "when": timezone.localtime(change.updated_at),
        "review_url": settings.EMPAC_SITE_URL + review,
        "site_name": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=f"A change to {described(item)} waits for your review",
        body=render_to_string("publishing/emails/pending_change.txt", context),
        to=recipients,
    )


def _send(message: EmailMessage, whom: str) -> None:
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any backend failure: the worker tries again later
        raise TryLater(f"could not email {whom}: {error}") from error


def _max_attempts() -> int:
    return settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS


@background(attempts=_max_attempts, first_delay=60, max_delay=3600)
def pending_change_notify_task(change_id: int) -> None:
    """Email the editors about a waiting change; tried again while the mail server fails."""
    change = PendingChange.objects.filter(pk=change_id).select_related("by").first()
    if change is None or not change.is_open:
        return  # decided (or gone) before the email went: nothing waits any more
    message = pending_change_message(change)
    if message is None:
        logger.warning("No editor with an email address to tell of pending change %s.", change_id)
        return
    _send(message, f"the editors of pending change {change_id}")


def decided_message(change: PendingChange) -> EmailMessage | None:
    item, curator = change.item, change.by
    if item is None or curator is None or not curator.email or curator == change.decided_by:
        return None
    opts = item._meta
    page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
    outcome = "applied" if change.outcome == PendingChange.Outcome.APPLIED else "rejected"
    context = {
        "item": described(item),
        "outcome": outcome,
        "editor": change.decided_by.get_username() if change.decided_by else "an editor",
        "when": timezone.localtime(change.decided_at),
        "proposed": timezone.localtime(change.updated_at),
        "item_url": settings.EMPAC_SITE_URL + page,
        "site_name": settings.SITE_NAME,
    }
    return EmailMessage(
        subject=f"Your change to {described(item)} was {outcome}",
        body=render_to_string("publishing/emails/pending_change_decided.txt", context),
        to=[curator.email],
    )


@background(attempts=_max_attempts, first_delay=60, max_delay=3600)
def pending_change_decided_notify_task(change_id: int) -> None:
    """Email a change's curator that an editor applied or rejected it."""
    change = PendingChange.objects.filter(pk=change_id).select_related("by", "decided_by").first()
    message = decided_message(change) if change is not None else None
    if message is None:
        return  # gone, decided by its own curator, or no address to write to
    _send(message, f"the curator of pending change {change_id}")
