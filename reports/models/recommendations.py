"""Recommendations, tracked to impact: status, owners, target date, history, updates."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from collaboration.models import Organisation, Person
from publishing.models import (
    PublicRuleQuerySet,
    Publishable,
    PublishableQuerySet,
    Sourced,
    published_one,
)

from .. import progress
from ..validators import validate_evidence_size
from .reports import Report, describe_date, excerpt, machine_date

DAY = Report.DatePrecision.DAY


def recommendation_overdue(on) -> Q:
    """Recommendations past their target date and not yet implemented or set aside."""
    return Q(target_date__lt=on) & ~Q(status__in=Recommendation.SETTLED)


def is_overdue(target_date, status: str, on=None) -> bool:
    """For one recommendation, what ``recommendation_overdue()`` says in a query."""
    on = on or timezone.localdate()
    return bool(target_date and target_date < on and status not in Recommendation.SETTLED)


class RecommendationQuerySet(PublicRuleQuerySet):
    def published(self):
        """A recommendation has no public state of its own: it is public while its report is.

        By key (``published_one``), not ``report__in``: SQLite made that a list of every
        published report first, 60 ms of each deep page of /recommendations/ at 10,000
        reports (in-process, SQLite), twice with its updates.
        """
        return self.filter(published_one(Report.objects.published(), "report"))

    def overdue(self, on=None):
        return self.filter(recommendation_overdue(on or timezone.localdate()))

    def for_display(self):
        """What _recommendation_progress.html shows, in two queries whatever the count.

        Owners come with their state (a draft owner is not named); public updates come
        newest first, as ``public_updates``.
        """
        return self.select_related("owner_organisation", "owner_person").prefetch_related(
            models.Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.published().order_by("-happened_on", "-id"),
                to_attr="public_updates",
            )
        )


class Recommendation(Sourced):
    """A numbered recommendation of a report, tracked to what came of it.

    Its status is "not recorded" until a curator records one: the sources say nothing
    of how far any recommendation has gone, and the site never guesses.
    """

    class Status(models.TextChoices):
        NOT_RECORDED = "not_recorded", "Not recorded"
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"

    # Settled: nothing more is expected, so a past target date is no longer overdue.
    SETTLED = (Status.IMPLEMENTED, Status.NOT_TAKEN_FORWARD)

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=255)
    explanation = models.TextField(blank=True)
    # db_default too: bulk inserts (generate_demo_data, publishing.bulk) give no value.
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_RECORDED,
        db_default=Status.NOT_RECORDED,
        db_index=True,
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_recommendations",
        help_text="The organisation that has taken this recommendation on, if one has.",
    )
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_recommendations",
        help_text="The person who leads it, if one is named.",
    )
    target_date = models.DateField(
        null=True, blank=True, help_text="When it is due; past it and not settled, it is overdue."
    )
    status_changed_at = models.DateTimeField(
        null=True, editable=False, help_text="When the status last changed, if it has."
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="recommendation_number_unique_per_report",
                violation_error_message=(
                    "This report already has a recommendation with that number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    def get_absolute_url(self) -> str:
        return f"{self.report.get_absolute_url()}#recommendation-{self.number}"

    def is_overdue(self, on=None) -> bool:
        return is_overdue(self.target_date, self.status, on)

    @property
    def target_date_iso(self) -> str:
        return machine_date(self.target_date, DAY)

    @property
    def target_date_text(self) -> str:
        return describe_date(self.target_date, DAY)

    @property
    def is_status_recorded(self) -> bool:
        return self.status != self.Status.NOT_RECORDED

    @property
    def public_owners(self) -> list:
        """The owner organisation and person, where recorded and public."""
        owners = [self.owner_organisation, self.owner_person]
        return [owner for owner in owners if owner is not None and owner.is_published()]

    @property
    def last_update(self):
        """The newest public update, from ``for_display()``'s prefetch."""
        updates = getattr(self, "public_updates", None)
        return updates[0] if updates else None

    @property
    def progress_html(self):
        """Where it stands (reports.progress), from ``for_display()``'s rows."""
        update = self.last_update
        return progress.progress_html(
            status=self.status,
            status_label=self.get_status_display(),
            owners=[
                (owner.get_absolute_url(), getattr(owner, "display_name", "") or owner.name)
                for owner in self.public_owners
            ],
            target_iso=self.target_date_iso if self.target_date else "",
            target_text=self.target_date_text,
            is_overdue=self.is_overdue(),
            update=update and update.as_progress(),
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        recommendation = super().from_db(db, field_names, values)
        recommendation._loaded_status = recommendation.__dict__.get("status")
        return recommendation

    def save(self, *args, **kwargs):
        # Each change of status is kept, dated, with who made it where the admin says.
        loaded = getattr(self, "_loaded_status", None)
        is_new = self._state.adding
        changed = (loaded is not None and loaded != self.status) or (
            is_new and self.status != self.Status.NOT_RECORDED
        )
        if changed:
            self.status_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status_changed_at"}
        super().save(*args, **kwargs)
        if changed:
            RecommendationStatusChange.objects.create(
                recommendation=self,
                old_status=loaded or "",
                new_status=self.status,
                changed_at=self.status_changed_at,
                changed_by=getattr(self, "_changed_by", None),
            )
        self._loaded_status = self.status


class RecommendationStatusChange(models.Model):
    """One change of a recommendation's status: the history is never rewritten."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(
        max_length=20, choices=Recommendation.Status.choices, blank=True, editable=False
    )
    new_status = models.CharField(
        max_length=20, choices=Recommendation.Status.choices, editable=False
    )
    changed_at = models.DateTimeField(editable=False, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["recommendation", "-changed_at", "-id"]
        get_latest_by = "changed_at"

    def __str__(self) -> str:
        before = self.get_old_status_display() or "new"
        return f"{before} → {self.get_new_status_display()}"


class RecommendationUpdateQuerySet(PublishableQuerySet):
    def published(self):
        """Public updates of public recommendations (those of public reports)."""
        return (
            super()
            .published()
            .filter(published_one(Recommendation.objects.published(), "recommendation"))
        )


EVIDENCE_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt", "png", "jpg", "jpeg"]


class RecommendationUpdate(Publishable):
    """A dated account of progress on a recommendation, with its evidence.

    The evidence is words, a link, a file, or any of them. A file is never given a
    public address: ``reports.views.recommendation_evidence`` serves it while the update
    is public.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    happened_on = models.DateField("date", help_text="When this happened, or was reported.")
    summary = models.TextField(help_text="What happened, in plain words.")
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    evidence_file = models.FileField(
        upload_to="recommendation-evidence/%Y/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence_size],
        help_text=f"A document that shows it ({', '.join(EVIDENCE_EXTENSIONS)}).",
    )

    objects = RecommendationUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "-happened_on", "-id"]
        indexes = [
            models.Index(
                fields=["recommendation", "status", "-happened_on"], name="recupdate_latest"
            )
        ]
        verbose_name = "progress update"

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.summary[:60]}"

    @property
    def date_iso(self) -> str:
        return machine_date(self.happened_on, DAY)

    @property
    def date_text(self) -> str:
        return describe_date(self.happened_on, DAY)

    @property
    def excerpt(self) -> str:
        return excerpt(self.summary)

    def get_evidence_file_url(self) -> str:
        return reverse("reports:recommendation-evidence", kwargs={"pk": self.pk})

    @property
    def evidence_file_name(self) -> str:
        return self.evidence_file.name.rsplit("/", 1)[-1] if self.evidence_file else ""

    def as_progress(self) -> progress.Update:
        return progress.Update(
            date_iso=self.date_iso,
            date_text=self.date_text,
            excerpt=self.excerpt,
            evidence_url=self.evidence_url,
            evidence_file_url=self.get_evidence_file_url() if self.evidence_file else "",
            evidence_file_name=self.evidence_file_name,
        )
