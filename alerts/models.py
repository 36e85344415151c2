import datetime
import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from collaboration.models import Theme


def new_key() -> str:
    return secrets.token_urlsafe(18)


class SubscriptionQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def due(self, *, now: datetime.datetime):
        """Confirmed, no digest in flight, and a day or a week since the last one.

        An hour's slack lets a daily cron job that starts a little earlier than the day
        before still find its subscribers due.
        """
        slack = datetime.timedelta(hours=1)
        return self.confirmed().filter(
            models.Q(
                frequency=Subscription.Frequency.DAILY,
                last_digest_at__lte=now - datetime.timedelta(days=1) + slack,
            )
            | models.Q(
                frequency=Subscription.Frequency.WEEKLY,
                last_digest_at__lte=now - datetime.timedelta(days=7) + slack,
            ),
            digest_window_end__isnull=True,
        )


class Subscription(models.Model):
    """One email address and what it asked to hear about; nothing is sent until confirmed."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    email = models.EmailField(max_length=254)
    themes = models.ManyToManyField(Theme, blank=True, related_name="alert_subscriptions")
    includes_gap_register = models.BooleanField(
        "the knowledge-gap register", default=False, help_text="Every new public gap."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    # The secret inside every link of this subscription's emails: a link for an address
    # that unsubscribed and subscribed again does not act on the new subscription.
    key = models.CharField(max_length=32, default=new_key, editable=False)

    requested_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    privacy_notice_version = models.CharField(max_length=20, blank=True)

    last_digest_at = models.DateTimeField(
        null=True, blank=True, help_text="The end of the last digest's period."
    )
    # Set while a digest is being sent (the end of its period): claimed once, never twice.
    digest_window_end = models.DateTimeField(null=True, blank=True, editable=False)
    digest_attempts = models.PositiveSmallIntegerField(default=0)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="alerts_subscription_email_unique")
        ]

    def __str__(self) -> str:
        return self.email

    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigestSourceState(models.Model):
    """That a digest source's ledger has been started (what was public then is not news)."""

    source = models.CharField(max_length=60, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.source


class DigestEntry(models.Model):
    """When an item of a digest source was first seen public.

    Digests name what became public in their period; the ledger says when that was,
    whatever made it public (a report published, an analysis making its gaps public).
    Each digest checks the item is still public before naming it.
    """

    source = models.CharField(max_length=60)
    key = models.CharField(max_length=120)
    object_id = models.PositiveBigIntegerField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="alerts_entry_source_key")
        ]
        indexes = [models.Index(fields=["source", "seen_at"], name="alerts_entry_source_seen")]
        verbose_name_plural = "digest entries"

    def __str__(self) -> str:
        return f"{self.source} {self.key} seen {self.seen_at:%Y-%m-%d %H:%M}"
