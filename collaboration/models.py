from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from publishing.links import slug_url
from publishing.models import (
    Confirmation,
    PublicRuleQuerySet,
    Publishable,
    Sourced,
    published_one,
)
from publishing.provenance import ENTRY, with_inferences


class Theme(Sourced, Publishable):
    """One of the six serious and organised crime priority themes."""

    position = models.PositiveSmallIntegerField(
        unique=True, help_text="Order in which the sources list the theme (1–6)."
    )
    short_name = models.CharField(
        max_length=120, help_text="Short form, e.g. “Understanding international links”."
    )
    full_name = models.CharField(
        max_length=255, help_text="Wording used in the progress reports’ numbered list."
    )
    alternative_wording = models.CharField(
        max_length=255,
        blank=True,
        help_text="Longer phrasing used in the collaboration’s news post.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return slug_url("browse:theme-detail", self.slug)

    def get_preview_url(self) -> str:
        return reverse("browse:theme-preview", kwargs={"slug": self.slug})


class PublicContact(models.Model):
    """An address the public may write to, shown only where its owner agreed to it."""

    contact_email = models.EmailField(
        "contact email",
        blank=True,
        help_text="An address the public may use. Shown only with the agreement below.",
    )
    has_agreed_to_public_contact = models.BooleanField(
        "agreed to a public contact link",
        default=False,
        help_text=(
            "Tick only when they have agreed, in writing, that this address is shown on "
            "public pages. Off, no contact link is shown."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.has_agreed_to_public_contact and not self.contact_email:
            raise ValidationError(
                {"contact_email": "Enter the address they agreed to show, or untick the box."}
            )

    @property
    def public_contact_email(self) -> str:
        """The address public pages may show: empty unless its owner agreed."""
        return self.contact_email if self.has_agreed_to_public_contact else ""


class Organisation(Sourced, PublicContact, Publishable):
    class Kind(models.TextChoices):
        POLICE_FORCE = "police_force", "Police force"
        PCC = "pcc", "Police and Crime Commissioner’s office"
        ROCU = "rocu", "Regional organised crime unit"
        UNIVERSITY = "university", "University"
        OTHER = "other", "Other body"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text="e.g. DMU, EMSOU.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    is_member = models.BooleanField("member of the collaboration", default=False, db_index=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_member", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("browse:organisation-detail", self.slug)

    def get_preview_url(self) -> str:
        return reverse("browse:organisation-preview", kwargs={"slug": self.slug})


class Person(Sourced, PublicContact, Publishable):
    honorific = models.CharField(
        max_length=40,
        blank=True,
        help_text="Title or rank as the sources give it: Professor, Dr, DCC, PCC, Supt …",
    )
    name = models.CharField(
        max_length=200, help_text="As the sources give it; some give only a surname."
    )
    slug = models.SlugField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    biography = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return slug_url("browse:person-detail", self.slug)

    def get_preview_url(self) -> str:
        return reverse("browse:person-preview", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return person_name(self.honorific, self.name)


def person_name(honorific: str, name: str) -> str:
    """A person's name as pages show it, with the honorific where recorded."""
    return f"{honorific} {name}".strip()


# When a role is held, written once for queries and once, beside it, for one role in hand.
# A role's end date is the first day it is no longer held; an unknown start counts as
# "since before the sources".
def ended_by(on) -> Q:
    """Roles that ended on or before a date."""
    return Q(end_date__lte=on)


def held_on(on) -> Q:
    """Roles held on a date: started by then (or start unknown), and not ended by then."""
    return (Q(start_date__isnull=True) | Q(start_date__lte=on)) & ~ended_by(on)


ROLE_DATES_MESSAGE = "The end date must be on or after the start date."

# Held by its dates, but known only from a source no curator has confirmed is still
# true: public pages say when the source named it rather than calling it current.
NOT_CONFIRMED_CURRENT = Q(latest_source__isnull=False, confirmed_at__isnull=True)


class RoleQuerySet(PublicRuleQuerySet):
    def current(self, on=None):
        """Roles held on the given date (today by default)."""
        return self.filter(held_on(on or timezone.localdate()))

    def current_first(self, on=None):
        """Roles held today first, then leads before other roles, newest first."""
        return self.annotate(
            is_past=models.Case(
                models.When(held_on(on or timezone.localdate()), then=models.Value(0)),
                default=models.Value(1),
            ),
            kind_order=models.Case(
                *(
                    models.When(kind=kind, then=models.Value(i))
                    for i, kind in enumerate(Role.Kind.values)
                ),
                default=models.Value(len(Role.Kind.values)),
            ),
        ).order_by("is_past", "kind_order", "-start_date", "person__name")

    def confirmed_current(self, on=None):
        """Roles held on the date that a curator confirmed, or that rest on no source."""
        return self.current(on).exclude(NOT_CONFIRMED_CURRENT)

    def last_named_in_sources(self, on=None):
        """Roles not known to have ended, named in a source but not confirmed as current."""
        return self.current(on).filter(NOT_CONFIRMED_CURRENT)

    def for_display(self):
        """What _role.html shows, in this query: related names and inferences to mark."""
        return with_inferences(
            self.select_related("person", "organisation", "theme", "latest_source"),
            ENTRY,
            "organisation",
            "theme",
            "start_date",
            "end_date",
            "latest_source__published_on",
        )

    def past(self, on=None):
        """Roles that ended on or before the given date (today by default)."""
        return self.filter(ended_by(on or timezone.localdate()))

    def leads(self):
        return self.filter(kind__in=Role.LEAD_KINDS)

    def published(self):
        """Roles of published people: a role has no public state of its own."""
        return self.filter(published_one(Person.objects.published(), "person"))


class Role(Sourced, Confirmation):
    """A position a person holds in the collaboration, dated where the sources allow."""

    class Kind(models.TextChoices):
        OPERATIONAL_LEAD = "operational_lead", "Operational lead"
        ACADEMIC_LEAD = "academic_lead", "Academic lead"
        STRATEGIC_LEAD = "strategic_lead", "Strategic lead"
        THEME_LEAD = "theme_lead", "Theme lead"
        RESEARCHER = "researcher", "Researcher or contributor"

    LEAD_KINDS = (
        Kind.OPERATIONAL_LEAD,
        Kind.ACADEMIC_LEAD,
        Kind.STRATEGIC_LEAD,
        Kind.THEME_LEAD,
    )

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="What the role is, in words, e.g. “Operational lead for SOC research”.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roles",
        help_text="The organisation the person holds this role for, if any.",
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roles",
        help_text="For a theme lead, or work tied to one theme.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    dates_note = models.CharField(
        max_length=255,
        blank=True,
        help_text="How the dates are known, e.g. “named in the November 2020 report”.",
    )
    source = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_roles",
        help_text="The document that records this role.",
    )
    latest_source = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The newest document that names the person in this role. Until the role is "
            "confirmed as current, public pages say it was named there, not that it is current."
        ),
    )
    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-start_date", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="role_ends_after_it_starts",
                violation_error_message=ROLE_DATES_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_kind_display()}"

    def has_ended(self, on=None) -> bool:
        """For this role, what ``ended_by()`` says in a query."""
        return self.end_date is not None and self.end_date <= (on or timezone.localdate())

    def is_current(self, on=None) -> bool:
        """For this role, what ``held_on()`` says in a query."""
        on = on or timezone.localdate()
        started = self.start_date is None or self.start_date <= on
        return started and not self.has_ended(on)

    def is_confirmed_current(self, on=None) -> bool:
        """For this role, what ``confirmed_current()`` says in a query."""
        unconfirmed = self.latest_source_id is not None and self.confirmed_at is None
        return self.is_current(on) and not unconfirmed

    def is_last_named_in_sources(self, on=None) -> bool:
        """For this role, what ``last_named_in_sources()`` says in a query."""
        return self.is_current(on) and not self.is_confirmed_current(on)

    def clean(self):
        # The constraint below holds the rule; checked here too, to point at the field.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": ROLE_DATES_MESSAGE})
        if self.kind == self.Kind.THEME_LEAD and not self.theme_id:
            raise ValidationError({"theme": "A theme lead needs a theme."})
