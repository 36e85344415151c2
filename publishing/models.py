"""What every content app shares: the publishing rule, the content version, provenance.

Content apps subclass ``Publishable``; everything the public sees reads through
``.published()``, the one place the rule is written: published, and, by the clock,
past its go-live time and not yet expired. Entries that come from source documents
subclass ``Sourced`` too, so their provenance is recorded in one model.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import clock


class Status(models.TextChoices):
    """The workflow: draft → in review → published, and withdrawn (was public, taken down).

    Who may make which move is ``publishing.workflow``.
    """

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ClockNow(models.Expression):
    """The site clock's now (``publishing.clock``), read when the query is compiled.

    Like ``Now()`` it is fresh for every query, so a queryset built once and run later
    still asks about the moment it runs; unlike ``Now()`` tests can set the clock.
    """

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        return models.Value(clock.now(), output_field=self.output_field).as_sql(
            compiler, connection
        )


def live_at(now, *, field: str = "status", scheduled: bool = True) -> Q:
    """Published and within its schedule at ``now``: the one statement of the public rule.

    ``field`` names the state's field where a model's ``status`` means something else;
    a model without a schedule (``scheduled=False``) is public from its publication on.
    """
    rule = Q(**{field: Status.PUBLISHED})
    if not scheduled:
        return rule
    return (
        rule
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def published_one(queryset, field: str) -> models.Exists:
    """Whether the row that ``field`` points at is in ``queryset`` (a ``.published()`` one).

    Looked up by key for each row, rather than as ``field__in=queryset``: SQLite made
    that a list of every published report first (60 ms at 100,000 reports, each time
    a gap analysis or a knowledge gap was read).
    """
    return models.Exists(queryset.filter(pk=models.OuterRef(field)))


def workflow_field(model_or_obj) -> str:
    """The field that holds a model's workflow state: ``status``, unless the model names
    another in ``workflow_field`` (a knowledge gap's ``status`` is how far research went)."""
    return getattr(model_or_obj, "workflow_field", "status")


class PublicManager(models.Manager):
    """A manager whose ``published()`` is built once per process and copied for each call.

    The public rule nests other models' rules as subqueries (a knowledge gap is public
    while its analysis is, and that while its report is), and building those querysets
    anew on every call was a large part of a page's time in Python. A built queryset
    holds no data and no moment (``ClockNow`` reads the clock when the query is
    compiled), so the one built first stays right; each call gets a copy of it
    (``.all()``), never the built one itself, so no caller's results are kept in it.
    Only ``Model.objects.published()`` is kept so: a rule applied to a queryset already
    narrowed (``...filter(...).published()``) is built each time, as before.
    """

    def published(self):
        built = self.__dict__.get("_published")
        if built is None:
            built = self._published = self.get_queryset().published()
        return built.all()


class PublicRuleQuerySet(models.QuerySet):
    """A queryset with a ``published()`` rule; its manager is a ``PublicManager``."""

    def as_manager(cls):
        manager = PublicManager.from_queryset(cls)()
        manager._built_with_queryset_class = True
        return manager

    as_manager.queryset_only = True
    as_manager = classmethod(as_manager)


class PublishableQuerySet(PublicRuleQuerySet):
    def published(self):
        """What the public may see. Every public page, list and count reads through this.

        By the clock itself: a scheduled item appears at its go-live time and an expired
        one disappears on the next query, with no job to run.
        """
        return self.filter(live_at(ClockNow()))

    def gone(self):
        """Items that were public and are not any more: withdrawn, or past their expiry."""
        now = ClockNow()
        return self.filter(
            Q(status=Status.WITHDRAWN)
            | Q(status=Status.PUBLISHED, expires_at__isnull=False, expires_at__lte=now)
        )

    def scheduled(self):
        """Published, waiting for their go-live time."""
        return self.filter(status=Status.PUBLISHED, go_live_at__gt=ClockNow())


class Publishable(models.Model):
    """Workflow state and schedule shared by everything the public can see."""

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(
        "status changed", null=True, blank=True, editable=False
    )
    go_live_at = models.DateTimeField(
        "go live",
        null=True,
        blank=True,
        db_index=True,
        help_text="UK time. Once published, public from then on; empty: at once.",
    )
    expires_at = models.DateTimeField(
        "expires",
        null=True,
        blank=True,
        db_index=True,
        help_text="UK time. Off the site from then on; empty: never.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_status", None)
        if self.status != loaded:
            self.status_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status_changed_at"}
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_status = obj.__dict__.get("status")
        return obj

    def is_published(self) -> bool:
        """Public now, by the same rule as ``.published()`` (for one loaded object)."""
        now = clock.now()
        return (
            self.status == Status.PUBLISHED
            and (self.go_live_at is None or self.go_live_at <= now)
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def gone_since(self):
        """When a withdrawn or expired item left the site; None for any other."""
        if self.status == Status.WITHDRAWN:
            return self.status_changed_at or self.updated_at
        if self.status == Status.PUBLISHED and self.expires_at and self.expires_at <= clock.now():
            return self.expires_at
        return None

    def get_preview_url(self) -> str | None:
        """The staff-only preview of this item's public page; None where it has none."""
        return None


class ContentVersion(models.Model):
    """One row naming the content as it is (random per change); page caches key on it.

    See ``publishing.versioning``.
    """

    version = models.PositiveBigIntegerField(default=1)
    # When the next scheduled go-live or expiry falls (Unix seconds), so the version
    # changes then too; null when none is scheduled. See ``publishing.versioning``.
    next_change = models.FloatField(null=True, blank=True)

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


class Transition(models.Model):
    """One move of an item through the workflow: who moved it, from which state, when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="transition_item")
        ]
        permissions = [
            ("publish_content", "Can publish, schedule, withdraw and return content to draft")
        ]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or 'new'} → {self.get_to_status_display()}"


class Marking(models.TextChoices):
    """UK Government Security Classifications this system may hold: OFFICIAL only.

    SECRET and TOP SECRET are refused outright (``REFUSED_MARKINGS``): this system must
    not hold such material at all.
    """

    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class Descriptor(models.TextChoices):
    """The optional descriptor of OFFICIAL-SENSITIVE material."""

    NONE = "", "No descriptor"
    PERSONAL = "PERSONAL", "PERSONAL"
    COMMERCIAL = "COMMERCIAL", "COMMERCIAL"
    LOCSEN = "LOCSEN", "LOCSEN (location sensitive)"


REFUSED_MARKINGS = ("SECRET", "TOP SECRET")
REFUSED_MESSAGE = (
    "This system must not hold material marked SECRET or above. Do not upload or record it "
    "here: remove it and handle it through your organisation's approved systems."
)


def marking_constraints(
    prefix: str, *, field: str = "marking", publishable: bool = True, state: str = "status"
):
    """The database's marking rules for one model (and, with ``field``, one of its files).

    Only OFFICIAL or OFFICIAL-SENSITIVE; a descriptor only on OFFICIAL-SENSITIVE; and,
    for a publishable model, published (in its ``state`` field) only when OFFICIAL and
    cleared for public release.
    """
    cleared = "cleared_at" if field == "marking" else field.replace("marking", "cleared_at")
    descriptor = f"{field}_descriptor"
    rules = [
        models.CheckConstraint(
            condition=Q(**{f"{field}__in": Marking.values}),
            name=f"{prefix}_{field}_allowed",
            violation_error_message=REFUSED_MESSAGE,
        ),
        models.CheckConstraint(
            condition=Q(**{descriptor: ""}) | Q(**{field: Marking.OFFICIAL_SENSITIVE}),
            name=f"{prefix}_{field}_descriptor_sensitive_only",
            violation_error_message="A descriptor goes only with OFFICIAL-SENSITIVE.",
        ),
    ]
    if publishable:
        rules.append(
            models.CheckConstraint(
                condition=~Q(**{state: Status.PUBLISHED})
                | Q(**{field: Marking.OFFICIAL, f"{cleared}__isnull": False}),
                name=f"{prefix}_published_official_cleared",
                violation_error_message=(
                    "Only OFFICIAL material cleared for public release can be published. "
                    "Mark it OFFICIAL and record that it is cleared for public release first."
                ),
            )
        )
    return rules


class Marked(models.Model):
    """A handling marking, and the separate decision that the item is cleared for release.

    Re-marking an item (to OFFICIAL-SENSITIVE, or adding a descriptor) undoes its
    clearance; if it was published, it is withdrawn in the same save, so it leaves every
    public surface in the same transaction.
    """

    marking = models.CharField(
        max_length=20,
        choices=Marking.choices,
        default=Marking.OFFICIAL,
        db_default=Marking.OFFICIAL,
    )
    marking_descriptor = models.CharField(
        "descriptor",
        max_length=20,
        choices=Descriptor.choices,
        blank=True,
        default="",
        db_default="",
        help_text="Only for OFFICIAL-SENSITIVE.",
    )
    cleared_at = models.DateTimeField(
        "cleared for public release", null=True, blank=True, editable=False
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Who cleared it where no account did: "seed/migration" for content loaded as public.
    cleared_note = models.CharField(
        max_length=100, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_marking", None)
        if loaded is not None and loaded != (self.marking, self.marking_descriptor):
            self._remarked()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.remarking_fields()}
        super().save(*args, **kwargs)
        self._loaded_marking = (self.marking, self.marking_descriptor)

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        if "marking" in obj.__dict__ and "marking_descriptor" in obj.__dict__:
            obj._loaded_marking = (obj.marking, obj.marking_descriptor)
        return obj

    def remarking_fields(self) -> list[str]:
        fields = ["cleared_at", "cleared_by", "cleared_note"]
        state = workflow_field(self)
        return [*fields, state] if hasattr(self, state) else fields

    def _remarked(self) -> None:
        self.cleared_at = self.cleared_by = None
        self.cleared_note = ""
        state = workflow_field(self)
        if getattr(self, state, None) == Status.PUBLISHED:
            setattr(self, state, Status.WITHDRAWN)

    @property
    def is_cleared(self) -> bool:
        return self.marking == Marking.OFFICIAL and self.cleared_at is not None

    def clear_for_release(self, user=None, *, note: str = "") -> None:
        """Record the decision that this item may be public: who, and now."""
        self.cleared_at, self.cleared_by, self.cleared_note = timezone.now(), user, note

    @property
    def marking_label(self) -> str:
        if self.marking_descriptor:
            return f"{self.marking} {self.marking_descriptor}"
        return self.marking


class PendingChange(models.Model):
    """A curator's edit of a published item, kept off the site until an editor applies it.

    ``proposed`` holds the item's own fields that differ from the published version, as
    JSON (``publishing.pending``). An item has at most one open change: a second edit
    updates it. Applied, rejected and withdrawn changes stay, as the record of who decided.
    """

    class Outcome(models.TextChoices):
        OPEN = "", "Waiting for review"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    proposed = models.JSONField(default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    note = models.TextField("note for the editor", blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["updated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(outcome=""),
                name="pending_change_one_open_per_item",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pending_change_item")]

    def __str__(self) -> str:
        return f"change to {self.content_type.name} {self.object_id} by {self.by or 'not recorded'}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN
