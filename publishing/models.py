"""What every content app shares: the draft/published rule, the content version, provenance.

Content apps subclass ``Publishable``; everything the public sees reads through
``.published()``, the one place the rule is written. Entries that come from source
documents subclass ``Sourced`` too, so their provenance is recorded in one model.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public page, list and count reads through this."""
        return self.filter(status=Status.PUBLISHED)


class Publishable(models.Model):
    """Draft/published state shared by everything the public can see."""

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class ContentVersion(models.Model):
    """One row naming the content as it is (random per change); page caches key on it.

    See ``publishing.versioning``.
    """

    version = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"content version {self.version}"


class Confirmation(models.Model):
    """A curator's word that what the sources suggest holds, with who gave it and when."""

    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def confirm(self, user) -> None:
        self.confirmed_by, self.confirmed_at = user, timezone.now()
        self.save(update_fields=["confirmed_by", "confirmed_at"])


class ProvenanceQuerySet(models.QuerySet):
    def unconfirmed_inferences(self):
        """Inferences no curator has confirmed yet: what public pages say is inferred."""
        return self.filter(is_inferred=True, confirmed_at__isnull=True)


class Provenance(Confirmation):
    """Where one entry, or one of its fields, comes from.

    A fact stated in a source quotes the passage it rests on; an inference says so and
    gives its basis, and shows as inferred on public pages until a curator confirms it.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=60,
        blank=True,
        help_text="The field this is about, e.g. “theme”; empty for the entry as a whole.",
    )
    document = models.CharField(max_length=255, help_text="The source document, by its title.")
    passage = models.TextField(
        blank=True, help_text="The words of the document the fact rests on, quoted exactly."
    )
    is_inferred = models.BooleanField(
        "inferred",
        default=False,
        db_index=True,
        help_text="Not stated in the document, but reasoned from it.",
    )
    basis = models.TextField(blank=True, help_text="For an inference: what it rests on, and how.")
    note = models.CharField(
        max_length=255,
        blank=True,
        help_text="For an inference: a few plain words public pages show until it is confirmed.",
    )

    objects = ProvenanceQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="provenance_entry")]
        verbose_name = "provenance note"

    def __str__(self) -> str:
        what = f"{self.field} of " if self.field else ""
        return f"{what}{self.content_type.name} {self.object_id}: {self.document}"

    def clean(self):
        if self.is_inferred and not self.basis.strip():
            raise ValidationError({"basis": "Say what the inference rests on."})
        if not self.is_inferred and not self.passage.strip():
            raise ValidationError({"passage": "Quote the passage a stated fact rests on."})


class Sourced(models.Model):
    """An entry whose provenance curators record and public pages can show."""

    provenance_notes = GenericRelation(Provenance, related_query_name="%(app_label)s_%(class)s")

    class Meta:
        abstract = True
