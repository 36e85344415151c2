"""A report's tags, kept in its history beside its other links.

simple-history 3.13 cannot take taggit's manager as an ``m2m_fields`` link (it fails
at start-up), so each version of a report keeps the names of its tags in a text
field of its own (``tag_names``, one name per line, from ``KeptTags``). The version
written when the report is saved holds its tags as they are then; when its tags
change, taggit sends ``m2m_changed`` as Django does for its own links, and a "~"
version is written, as simple-history writes one for a change of any kept link. A
change that adds or removes nothing writes nothing. Versions written before tags were
kept have none recorded (NULL): they compare as "not recorded", and a revert to one
leaves the tags as they are now. The admin reads them (publishing/history.py).
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from taggit.models import TaggedItem

from publishing.history import TAGS_FIELD as FIELD


class KeptTags(models.Model):
    """What a report's historical model adds: the names of the tags it had."""

    # NULL is "not recorded" (a version from before tags were kept), unlike "" (no tags).
    tag_names = models.TextField(  # noqa: DJ001
        "tags", null=True, blank=True, help_text="The report's tags then, one per line."
    )

    class Meta:
        abstract = True


class HistoricalRecordsWithTags(HistoricalRecords):
    """simple-history's records for a model with taggit tags: the tags are kept too."""

    def __init__(self, **options):
        super().__init__(bases=[KeptTags], **options)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is not self.cls:
            return
        history_model = getattr(sender, self.manager_name).model
        pre_create_historical_record.connect(self.record_tags, sender=history_model, weak=False)
        m2m_changed.connect(self.tags_changed, sender=TaggedItem, weak=False)

    def record_tags(self, sender, instance, history_instance, **kwargs):
        if history_instance.history_type == "-":
            # Deleted: its tag rows went before it, so it keeps the tags it last had.
            previous = instance.history.order_by("-history_date", "-history_id").first()
            tags = getattr(previous, FIELD, None)
        else:
            tags = "\n".join(sorted(instance.tags.names()))
        setattr(history_instance, FIELD, tags)

    def tags_changed(self, sender, instance, action, reverse, pk_set, using=None, **kwargs):
        if reverse or not isinstance(instance, self.cls):
            return
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        if action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
            self.create_historical_record(instance, "~", using=using)
