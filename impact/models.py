"""The impact log: dated entries of what changed in practice because of the work."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from collaboration.models import Organisation, Theme
from publishing.models import Publishable, PublishableQuerySet, Sourced
from reports.models import KnowledgeGap, Recommendation, Report


class ImpactEntryQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-happened_on", "-id")

    def in_theme(self, theme):
        """Entries filed under the theme, or linked to a report or gap about it."""
        linked = ImpactEntry.objects.filter(
            Q(themes=theme) | Q(reports__themes=theme) | Q(knowledge_gaps__theme=theme)
        )
        # By key, not distinct(): the joins would otherwise repeat an entry.
        return self.filter(pk__in=linked.values("pk"))


class ImpactEntry(Sourced, Publishable):
    """Something that changed in practice: a trial run, a policy changed, funding won …

    Linked to what it came from; public pages name only the linked items that are
    public themselves, so a draft report never shows through an entry.
    """

    class Kind(models.TextChoices):
        TRIAL = "trial", "Trial or pilot"
        POLICY = "policy", "Policy or practice changed"
        FUNDING = "funding", "Funding won"
        PUBLICATION = "publication", "Paper or report published"
        TRAINING = "training", "Training or guidance"
        OTHER = "other", "Other change"

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    happened_on = models.DateField("date", help_text="When the change happened.")
    description = models.TextField(help_text="What changed in practice, and for whom.")
    evidence_url = models.URLField(
        "evidence link", max_length=500, blank=True, help_text="Where a reader can check it."
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="impact_entries")
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="impact_entries"
    )
    knowledge_gaps = models.ManyToManyField(KnowledgeGap, blank=True, related_name="impact_entries")
    reports = models.ManyToManyField(Report, blank=True, related_name="impact_entries")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="impact_entries")

    objects = ImpactEntryQuerySet.as_manager()
    # Kept here rather than in the history app, which sits below this one.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-happened_on", "-id"], name="impact_public_order")
        ]
        verbose_name = "impact log entry"
        verbose_name_plural = "impact log entries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("impact:entry-detail", kwargs={"slug": self.slug})

    def get_preview_url(self) -> str:
        return reverse("impact:entry-preview", kwargs={"slug": self.slug})
