from django.db import models


class SeedRecord(models.Model):
    """An object seed_empac created or found, so that it never creates that object again.

    The record outlives the object: a curator's deletion is an edit the seed respects.
    """

    model = models.CharField(max_length=100, help_text="Model label, e.g. “reports.report”.")
    key = models.CharField(
        max_length=255, help_text="The object's natural key in the seed data, e.g. a slug."
    )
    object_id = models.PositiveBigIntegerField(help_text="Primary key of the object it stands for.")
    values = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Fields as the seed last wrote them. A field still equal to its value here is "
            "untouched by curators, so a correction to the data may replace it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="seed_record_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"
