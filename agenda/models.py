from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from collaboration.models import Organisation, Person
from publishing.models import PublicRuleQuerySet, published_one
from reports.models import KnowledgeGap

GAP_STATUSES = KnowledgeGap.Status


class GapStatusChangeQuerySet(PublicRuleQuerySet):
    def published(self):
        """Changes to gaps the public may see."""
        return self.filter(gap__in=KnowledgeGap.objects.published())


class GapStatusChange(models.Model):
    """One dated change of a knowledge gap's status: its public history."""

    gap = models.ForeignKey(
        "reports.KnowledgeGap", on_delete=models.CASCADE, related_name="status_changes"
    )
    previous_status = models.CharField(max_length=20, choices=GAP_STATUSES.choices, blank=True)
    status = models.CharField(max_length=20, choices=GAP_STATUSES.choices)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    note = models.CharField(max_length=255, blank=True, help_text="Shown publicly beside it.")

    objects = GapStatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]
        get_latest_by = "changed_at"

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.changed_at:%Y-%m-%d}"


class GapContributorQuerySet(models.QuerySet):
    def shown(self):
        """Who may be named publicly as working on a gap: they agreed, and are public.

        The gap is looked up by key (``published_one``): ``gap__in`` cost about 40 ms of
        /gaps/ and of each gap page at 100,000 reports (SQLite, in-process).
        """
        return self.named_publicly().filter(published_one(KnowledgeGap.objects.published(), "gap"))

    def named_publicly(self):
        """Those who agreed to be named and are public, on any gap: for a prefetch onto
        gaps already read through ``KnowledgeGap.objects.published()``."""
        return self.filter(is_shown=True).filter(
            Q(person__in=Person.objects.published())
            | Q(person__isnull=True, organisation__in=Organisation.objects.published())
        )


class GapContributor(models.Model):
    """A person or organisation working on a gap; named publicly only if they agreed."""

    gap = models.ForeignKey(
        "reports.KnowledgeGap", on_delete=models.CASCADE, related_name="contributors"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="gap_work"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="gap_work"
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="What they do on it, e.g. “leads the study”."
    )
    is_shown = models.BooleanField(
        "agreed to be shown publicly",
        default=False,
        help_text="Tick only once they have agreed to be named on the gap’s public page.",
    )
    agreed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = GapContributorQuerySet.as_manager()

    class Meta:
        ordering = ["gap", "id"]
        verbose_name = "who works on a gap"
        verbose_name_plural = "who works on gaps"

    def __str__(self) -> str:
        return str(self.person or self.organisation or "someone")

    def save(self, *args, **kwargs):
        if self.is_shown and self.agreed_at is None:
            self.agreed_at = timezone.now()
        elif not self.is_shown:
            self.agreed_at = None
        super().save(*args, **kwargs)

    def clean(self):
        if self.person_id is None and self.organisation_id is None:
            raise ValidationError("Choose the person or the organisation working on this gap.")


class Introduction(models.Model):
    """A curator's confirmed match of a registrant to a gap, and how it went on."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        INTRODUCED = "introduced", "Introduced"
        WORKING = "working", "Working together"
        CONCLUDED = "concluded", "Concluded"

    registration = models.ForeignKey(
        "involvement.InterestRegistration", on_delete=models.CASCADE, related_name="introductions"
    )
    gap = models.ForeignKey(
        "reports.KnowledgeGap", on_delete=models.CASCADE, related_name="introductions"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    reason = models.TextField(blank=True, help_text="Why they fit, as the ranking gave it.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    email_subject = models.CharField(max_length=255, blank=True, editable=False)
    email_body = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "gap"],
                name="introduction_once_per_registration_and_gap",
                violation_error_message="This person is already matched to this gap.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} → {self.gap}"


class EmailTemplate(models.Model):
    """Wording a curator starts from, and edits, before an email goes to anyone."""

    key = models.SlugField(max_length=60, unique=True)
    subject = models.CharField(max_length=255)
    body = models.TextField(
        help_text=(
            "Placeholders: {{ name }}, {{ question }}, {{ gap_url }}, {{ curator }}, "
            "{{ site_name }}."
        )
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "email template"

    def __str__(self) -> str:
        return self.key
