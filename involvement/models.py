import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Theme


class Discipline(models.TextChoices):
    # The disciplines the collaboration's sources name at De Montfort University.
    PSYCHOLOGY = "psychology", "Psychology"
    COMPUTER_SCIENCE = "computer_science", "Computer Science"
    LAW = "law", "Law"
    ACCOUNTANCY = "accountancy", "Accountancy"
    EDUCATION = "education", "Education"
    COMMUNITY_AND_YOUTH = "community_youth", "Community and Youth"
    BUSINESS = "business", "Business"
    CRIMINOLOGY = "criminology", "Criminology"
    POLICING = "policing", "Policing"
    PUBLIC_ENGAGEMENT = "public_engagement", "Public Engagement"
    OTHER = "other", "Other"


class InterestRegistrationQuerySet(models.QuerySet):
    def pending_notification(self):
        """Registrations whose curator notice or acknowledgement has not gone out yet."""
        return self.filter(
            models.Q(notified_at__isnull=True) | models.Q(acknowledged_at__isnull=True)
        )

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def due_for_purge(self, *, now=None, retention_days: int):
        cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
        return self.filter(status=InterestRegistration.Status.CLOSED, closed_at__lt=cutoff)


class InterestRegistration(models.Model):
    """Someone offering expertise to the collaboration; curators follow it up."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        MATCHED = "matched", "Matched to a gap or report"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, db_index=True)
    institution = models.CharField("institution or organisation", max_length=200)
    role = models.CharField(max_length=200, blank=True)
    discipline = models.CharField(max_length=30, choices=Discipline.choices)
    discipline_other = models.CharField("other discipline", max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, related_name="interest_registrations")
    expertise = models.CharField(
        "expertise keywords", max_length=500, blank=True, help_text="Comma-separated keywords."
    )
    message = models.TextField(max_length=5000, blank=True)

    consent = models.BooleanField("consents to be contacted", default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    privacy_notice_version = models.CharField(max_length=20, blank=True)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_registrations",
    )
    curator_notes = models.TextField(blank=True)
    matched_gaps = models.ManyToManyField(
        "reports.KnowledgeGap", blank=True, related_name="interest_registrations"
    )
    matched_reports = models.ManyToManyField(
        "reports.Report", blank=True, related_name="interest_registrations"
    )

    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When curators were emailed; empty means not yet."
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the registrant was emailed an acknowledgement."
    )
    notification_attempts = models.PositiveSmallIntegerField(default=0)
    # A random value from the form that was submitted: a form posted twice
    # (double click, browser retry) is stored once.
    submission_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterestRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"

    def save(self, *args, **kwargs):
        # The retention clock starts when a registration is closed, and stops if it is reopened.
        if self.status == self.Status.CLOSED:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at"}
        super().save(*args, **kwargs)

    def get_admin_url(self) -> str:
        return reverse("admin:involvement_interestregistration_change", args=[self.pk])

    @property
    def reference(self) -> str:
        """What the registrant and curators quote to each other: GI- and the number."""
        return f"GI-{self.pk:06d}"

    @property
    def discipline_display(self) -> str:
        if self.discipline == Discipline.OTHER and self.discipline_other:
            return f"Other: {self.discipline_other}"
        return self.get_discipline_display()


class RateLimitBucket(models.Model):
    """How many requests one hashed client address made in one time window.

    Kept in the database so every worker process shares the same count.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
