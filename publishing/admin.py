"""Admin pieces every content app's admin uses: publish actions, provenance."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from .models import Provenance, Status


class PublishableAdmin(admin.ModelAdmin):
    """Publish/unpublish actions and read-only timestamps for models with a status."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]
    # A curator typing "www.example.org" means the secure address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        changed = 0
        # Save one by one rather than queryset.update(): post_save signals keep caches fresh.
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
            changed += 1
        opts = self.model._meta
        name = opts.verbose_name if changed == 1 else opts.verbose_name_plural
        if changed:
            self.message_user(request, f"{changed} {name} {verb}.", messages.SUCCESS)
        else:
            self.message_user(
                request,
                f"Nothing changed: the selected {opts.verbose_name_plural} were already {verb}.",
                messages.WARNING,
            )

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "unpublished")


class ProvenanceInline(GenericTabularInline):
    """The provenance of one entry, on its change page."""

    model = Provenance
    ct_field, ct_fk_field = "content_type", "object_id"
    extra = 0
    fields = ["field", "document", "passage", "is_inferred", "basis", "note", "confirmed"]
    readonly_fields = ["confirmed"]
    classes = ["collapse"]
    verbose_name_plural = "provenance: where this comes from"

    @admin.display(description="confirmed")
    def confirmed(self, obj) -> str:
        return describe_confirmation(obj)


def describe_confirmation(note) -> str:
    if not note.is_inferred:
        return "stated in the source"
    if note.confirmed_at is None:
        return "not confirmed"
    who = note.confirmed_by.get_username() if note.confirmed_by else "a former curator"
    return f"by {who}, {date_format(timezone.localtime(note.confirmed_at), 'j M Y H:i')}"


class InferenceFilter(admin.SimpleListFilter):
    """Provenance by what it rests on; on an entry's list, entries with such provenance."""

    title = "provenance"
    parameter_name = "provenance"
    CHOICES = {
        "unconfirmed": ("Inferred, not confirmed", Q(is_inferred=True, confirmed_at=None)),
        "confirmed": ("Inferred, confirmed", Q(is_inferred=True, confirmed_at__isnull=False)),
        "stated": ("Stated in a source", Q(is_inferred=False)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.CHOICES:
            return queryset
        notes = Provenance.objects.filter(self.CHOICES[self.value()][1])
        if queryset.model is Provenance:
            return queryset.filter(pk__in=notes)
        model_type = ContentType.objects.get_for_model(queryset.model)
        return queryset.filter(pk__in=notes.filter(content_type=model_type).values("object_id"))


@admin.register(Provenance)
class ProvenanceAdmin(admin.ModelAdmin):
    """Every entry's sources in one list, so curators can work down the inferences."""

    list_display = ["entry_link", "field", "document", "is_inferred", "confirmed"]
    list_filter = [InferenceFilter, ("content_type", admin.RelatedOnlyFieldListFilter), "document"]
    search_fields = ["document", "passage", "basis", "note", "field"]
    list_select_related = ["content_type", "confirmed_by"]
    actions = ["confirm"]
    fields = [
        ("content_type", "object_id", "field"),
        "document",
        "passage",
        ("is_inferred", "note"),
        "basis",
        "confirmed",
    ]
    readonly_fields = ["confirmed"]

    @admin.display(description="entry")
    def entry_link(self, obj):
        entry = obj.entry
        if entry is None:
            return f"{obj.content_type.name} {obj.object_id} (deleted)"
        opts = entry._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        except NoReverseMatch:
            return f"{opts.verbose_name}: {entry}"
        return format_html('<a href="{}">{}: {}</a>', url, opts.verbose_name, entry)

    @admin.display(description="confirmed")
    def confirmed(self, obj) -> str:
        return describe_confirmation(obj)

    @admin.action(description="Confirm the selected inferences", permissions=["change"])
    def confirm(self, request, queryset):
        # One by one, so post_save invalidates the pages that said "inferred".
        confirmed = 0
        for note in queryset.filter(is_inferred=True, confirmed_at=None):
            note.confirmed_by, note.confirmed_at = request.user, timezone.now()
            note.save(update_fields=["confirmed_by", "confirmed_at"])
            confirmed += 1
        if confirmed:
            self.message_user(
                request,
                f"{confirmed} inference{pluralize(confirmed)} confirmed by you, now.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                "Nothing to confirm: the selection holds no unconfirmed inference.",
                messages.WARNING,
            )
