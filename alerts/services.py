"""Writes that span models or leave the process: subscribing, confirming, digests, erasing."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Theme

from .models import DigestEntry, DigestSourceState, Subscription
from .sources import digest_sources
from .tokens import Confirmation, confirm_token, manage_token, unsubscribe_token

logger = logging.getLogger(__name__)

# What the ledger records for items already public when a source is first watched: a
# time before every digest's period, so they are never announced as new.
BEFORE_ALL_DIGESTS = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class SubscriptionGone(Exception):
    """The link is for a subscription that no longer exists (unsubscribed or erased)."""


# --- Subscribing -------------------------------------------------------------------


def subscription_request(
    *, email: str, themes: Iterable[Theme], gap_register: bool, frequency: str
) -> Subscription:
    """Store the request and enqueue the confirmation email; nothing else is sent until then.

    An address already subscribed keeps what it has: the email asks it to confirm the new
    choices, so nobody can change another person's alerts by typing their address.
    """
    from .tasks import subscription_confirmation_task  # tasks import this module

    email = BaseUserManager.normalize_email(email.strip())
    theme_ids = [theme.pk for theme in themes]
    with transaction.atomic():
        subscription = Subscription.objects.for_email(email).select_for_update().first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email,
                        includes_gap_register=gap_register,
                        frequency=frequency,
                        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                    )
            except IntegrityError:  # the same address, at the same moment
                subscription = Subscription.objects.for_email(email).get()
        if not subscription.is_confirmed():
            subscription.includes_gap_register = gap_register
            subscription.frequency = frequency
            subscription.requested_at = timezone.now()
            subscription.save(update_fields=["includes_gap_register", "frequency", "requested_at"])
            subscription.themes.set(theme_ids)
        subscription_confirmation_task.enqueue(
            subscription.pk,
            {"themes": theme_ids, "gap_register": gap_register, "frequency": frequency},
        )
    return subscription


def subscription_confirmation_send(*, subscription: Subscription, choices: dict) -> bool:
    """Email the link that confirms these choices; False (logged) when the mail fails."""
    token = confirm_token(
        subscription=subscription,
        theme_ids=choices["themes"],
        gap_register=choices["gap_register"],
        frequency=choices["frequency"],
    )
    themes = Theme.objects.published().filter(pk__in=choices["themes"])
    context = {
        "site_name": settings.SITE_NAME,
        "confirm_url": absolute(reverse("alerts:confirm", args=[token])),
        "themes": [theme.short_name for theme in themes],
        "gap_register": choices["gap_register"],
        "frequency": Subscription.Frequency(choices["frequency"]).label.lower(),
        "already_confirmed": subscription.is_confirmed(),
        "max_age_days": settings.EMPAC_ALERTS_CONFIRM_MAX_AGE // 86400,
    }
    message = _email(
        subscription,
        subject="Confirm your email alerts",
        template="alerts/emails/confirm.txt",
        context=context,
    )
    try:
        message.send(fail_silently=False)
    except Exception:
        logger.exception(
            "Could not send the confirmation email for subscription %s", subscription.pk
        )
        return False
    Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return True


def subscription_confirm(*, confirmation: Confirmation) -> Subscription:
    """Apply the confirmed choices and start the digests from now."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(pk=confirmation.subscription_id, key=confirmation.key)
            .first()
        )
        if subscription is None:
            raise SubscriptionGone
        now = timezone.now()
        subscription.includes_gap_register = confirmation.gap_register
        if confirmation.frequency in Subscription.Frequency.values:
            subscription.frequency = confirmation.frequency
        subscription.consented_at = now
        subscription.privacy_notice_version = confirmation.notice_version
        if subscription.confirmed_at is None:
            # What is public now is not news to a new subscriber.
            ledger_sync(now=now)
            subscription.confirmed_at = now
            subscription.last_digest_at = now
        subscription.save()
        themes = Theme.objects.published().filter(pk__in=confirmation.theme_ids)
        subscription.themes.set(themes)
    return subscription


def subscription_change(
    *, subscription_id: int, key: str, themes: Iterable[Theme], gap_register: bool, frequency: str
) -> Subscription:
    """Apply a confirmed subscriber's new choices from the manage page, at once.

    The signed link came to their address, so no new confirmation is asked for; what they
    consented to (storing the address for alerts) is unchanged. A change of frequency
    counts from the last digest, so nothing already sent is sent again.
    """
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(pk=subscription_id, key=key, confirmed_at__isnull=False)
            .first()
        )
        if subscription is None:
            raise SubscriptionGone
        subscription.includes_gap_register = gap_register
        subscription.frequency = frequency
        subscription.full_clean()
        subscription.save(update_fields=["includes_gap_register", "frequency"])
        subscription.themes.set([theme.pk for theme in themes])
    return subscription


def subscription_unsubscribe(*, subscription_id: int, key: str) -> bool:
    """Delete the subscription; False when there was none (already unsubscribed)."""
    deleted, _ = Subscription.objects.filter(pk=subscription_id, key=key).delete()
    return bool(deleted)


# --- Personal data -----------------------------------------------------------------


def subscription_personal_data(*, email: str) -> list[dict]:
    def when(value):
        return value.isoformat() if value else None

    return [
        {
            "email": s.email,
            "themes": [theme.short_name for theme in s.themes.all()],
            "knowledge_gap_register": s.includes_gap_register,
            "frequency": s.get_frequency_display(),
            "requested_at": when(s.requested_at),
            "confirmation_sent_at": when(s.confirmation_sent_at),
            "confirmed_at": when(s.confirmed_at),
            "consented_at": when(s.consented_at),
            "privacy_notice_version": s.privacy_notice_version,
            "last_digest_at": when(s.last_digest_at),
        }
        for s in Subscription.objects.for_email(email).prefetch_related("themes")
    ]


def subscription_erase(*, email: str) -> int:
    deleted, per_model = Subscription.objects.for_email(email).delete()
    return per_model.get(Subscription._meta.label, 0)


def subscription_count(*, email: str) -> int:
    return Subscription.objects.for_email(email).count()


# --- The ledger of what became public ----------------------------------------------


def ledger_sync(*, now: datetime.datetime | None = None) -> int:
    """Record every piece of news now public that the ledger has not seen; returns how many.

    The first time a source is watched, what it holds is recorded as old news.
    """
    now = now or timezone.now()
    added = 0
    for source in digest_sources():
        state, started = DigestSourceState.objects.get_or_create(source=source.name)
        seen_at = BEFORE_ALL_DIGESTS if started else now
        known = set(
            DigestEntry.objects.filter(source=source.name).values_list("key", flat=True).iterator()
        )
        new = [
            DigestEntry(source=source.name, key=key, object_id=pk, seen_at=seen_at)
            for key, pk in source.keys(source.public())
            if key not in known
        ]
        DigestEntry.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        added += 0 if started else len(new)
    return added


# --- Digests -----------------------------------------------------------------------


def digests_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Claim every subscription due a digest and enqueue its sending; returns how many.

    The claim (``digest_window_end``) is the period's end: a digest in flight is never
    claimed again, so however often this runs, each period is sent once.
    """
    from .tasks import digest_send_task

    now = now or timezone.now()
    ledger_sync(now=now)
    claimed = 0
    for pk in list(Subscription.objects.due(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            won = Subscription.objects.filter(pk=pk, digest_window_end__isnull=True).update(
                digest_window_end=now, digest_attempts=0
            )
            if won:
                digest_send_task.enqueue(pk)
                claimed += 1
    return claimed


def digests_given_up(*, retry: bool = False) -> int:
    """Digests in flight whose tries ran out; with ``retry``, enqueue them again."""
    from .tasks import digest_send_task

    stuck = Subscription.objects.filter(
        digest_window_end__isnull=False,
        digest_attempts__gte=settings.EMPAC_NOTIFICATION_MAX_ATTEMPTS,
    )
    ids = list(stuck.values_list("pk", flat=True))
    if retry:
        for pk in ids:
            with transaction.atomic():
                Subscription.objects.filter(pk=pk).update(digest_attempts=0)
                digest_send_task.enqueue(pk)
    return len(ids)


def digest_sections(*, subscription: Subscription, since, until) -> list[dict]:
    """What became public in (since, until] in the subscription's themes, still public now."""
    themes = list(subscription.themes.all())
    sections, named = [], set()
    for source in digest_sources():
        ids = DigestEntry.objects.filter(
            source=source.name, seen_at__gt=since, seen_at__lte=until
        ).values("object_id")
        # The one public rule, read now: what has stopped being public is not named.
        queryset = source.for_subscription(
            source.public().filter(pk__in=ids),
            themes=themes,
            gap_register=subscription.includes_gap_register,
        )
        items = []
        for obj in queryset:
            if (obj._meta.label, obj.pk) in named:
                continue  # a new gap whose status also changed is named once
            named.add((obj._meta.label, obj.pk))
            items.append(source.item(obj))
        if items:
            sections.append({"heading": source.heading, "items": items})
    return sections


def digest_send(*, subscription_id: int) -> bool:
    """Send the digest in flight for this subscription; True when done (sent or empty).

    The last digest's time moves on only once the email is accepted, and only from the
    claimed period, so a retry after a failure sends the same period, once.
    """
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.digest_window_end is None:
        return True  # unsubscribed meanwhile, or already sent
    since = subscription.last_digest_at or subscription.confirmed_at
    until = subscription.digest_window_end
    sections = digest_sections(subscription=subscription, since=since, until=until)
    if sections:
        Subscription.objects.filter(pk=subscription.pk).update(
            digest_attempts=F("digest_attempts") + 1
        )
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": absolute(""),
            "sections": sections,
            "since": since,
            "until": until,
            "frequency": subscription.get_frequency_display().lower(),
            "themes": [theme.short_name for theme in subscription.themes.all()],
            "gap_register": subscription.includes_gap_register,
        }
        count = sum(len(section["items"]) for section in sections)
        message = _email(
            subscription,
            subject=f"{count} new item{'s' if count != 1 else ''} from {settings.SITE_NAME}",
            template="alerts/emails/digest.txt",
            context=context,
        )
        try:
            message.send(fail_silently=False)
        except Exception:
            logger.exception("Could not send the digest for subscription %s", subscription.pk)
            return False
    Subscription.objects.filter(pk=subscription.pk, digest_window_end=until).update(
        last_digest_at=until, digest_window_end=None, digest_attempts=0
    )
    return True


# --- Email -------------------------------------------------------------------------


def absolute(path: str) -> str:
    return (settings.EMPAC_SITE_URL or "http://127.0.0.1:8000") + path


def _email(subscription: Subscription, *, subject: str, template: str, context: dict):
    """A plain-text email with the signed unsubscribe and manage links, RFC 8058 headers."""
    unsubscribe_url = absolute(
        reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)])
    )
    links = {
        "unsubscribe_url": unsubscribe_url,
        "manage_url": absolute(reverse("alerts:manage", args=[manage_token(subscription)])),
        "manage_days": settings.EMPAC_ALERTS_MANAGE_MAX_AGE // 86400,
    }
    reply_to = getattr(settings, "EMPAC_REPLY_TO_EMAIL", "")
    return EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(template, {**context, **links}),
        to=[subscription.email],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{settings.SITE_NAME} alerts <alerts.{_list_host()}>",
            "Auto-Submitted": "auto-generated",
        },
    )


def _list_host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(absolute("/")).hostname or "localhost"
