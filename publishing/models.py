"""What every content app shares: the draft/published rule, and the content version.

Content apps subclass ``Publishable``; everything the public sees reads through
``.published()``, the one place the rule is written.
"""

from django.db import models


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
