from django.conf import settings
from django.db import models
from django.urls import reverse

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
        return self.filter(notified_at__isnull=True)


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
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterestRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"

    def get_admin_url(self) -> str:
        return reverse("admin:involvement_interestregistration_change", args=[self.pk])
