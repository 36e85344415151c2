from django.db import models


class Record(models.Model):
    """An item OAI-PMH has exposed, remembered for good.

    OAI-PMH promises harvesters ``deletedRecord: persistent``: an item that was ever
    public and is not any more (unpublished, withdrawn, expired, re-marked or deleted,
    whatever the reason) is reported as deleted, never silently missing. So what was
    public is remembered here, and ``oai.records.sync`` compares it with what
    ``.published()`` says now. Nothing here restates the public rule.

    ``datestamp`` is when this table saw the record change (appear, change, leave),
    which is never earlier than the change was committed, so incremental harvests by
    date never miss one.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    datestamp = models.DateTimeField()
    is_deleted = models.BooleanField(default=False)
    # The item's updated_at when last seen, to notice edits; and its sets then, with a
    # space either side of each ("␣a␣b␣"), so a deleted record still answers for its sets.
    seen_updated_at = models.DateTimeField(null=True)
    set_specs = models.TextField(blank=True, default=" ")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="oai_record_once_per_item")
        ]
        indexes = [models.Index(fields=["datestamp", "id"], name="oai_record_by_datestamp")]

    def __str__(self) -> str:
        state = "deleted" if self.is_deleted else "public"
        return f"{self.kind}/{self.object_id} ({state})"

    @property
    def local_identifier(self) -> str:
        return f"{self.kind}/{self.object_id}"

    @property
    def sets(self) -> list[str]:
        return self.set_specs.split()
