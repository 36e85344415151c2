"""Admin pieces every content app's admin uses: publish actions, provenance."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from .history import HistoryAdmin
from .models import Provenance, Sourced, Status


class PublishableAdmin(HistoryAdmin):
    """Publish/unpublish actions, read-only timestamps and history for models with a status."""

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
    # Seven columns fit a 1280 px screen beside the admin's navigation only this narrow
    # (tests/browser/test_report_admin_layout.py); the text areas grow by their corner.
    NARROW = {"field": 7, "document": 10, "note": 10, "passage": 13, "basis": 13}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        width = self.NARROW.get(db_field.name)
        if width:
            # Without the admin's vTextField / vLargeTextField classes, whose CSS widths win.
            field.widget.attrs.pop("class", None)
            size = {"rows": 3, "cols": width} if isinstance(field.widget, forms.Textarea) else {}
            field.widget.attrs.update(size or {"size": width})
        return field

    @admin.display(description="confirmed")
    def confirmed(self, obj) -> str:
        return describe_confirmation(obj) if obj.is_inferred else "stated in the source"


def describe_confirmation(obj) -> str:
    """Who confirmed a Confirmation, and when, for a curator to read."""
    if obj.confirmed_at is None:
        return "not confirmed"
    who = obj.confirmed_by.get_username() if obj.confirmed_by else "a former curator"
    return f"by {who}, {date_format(timezone.localtime(obj.confirmed_at), 'j M Y H:i')}"


def confirm_selected(
    model_admin, request, selected, confirmable, *, left, done="confirmed"
) -> None:
    """Confirm each of ``confirmable`` as the curator, now; say what of ``selected`` was left.

    One by one, so post_save invalidates the pages that said "inferred" or "not confirmed".
    """
    confirmed = 0
    for obj in confirmable:
        obj.confirm(request.user)
        confirmed += 1
    opts = model_admin.model._meta
    if confirmed:
        name = opts.verbose_name if confirmed == 1 else opts.verbose_name_plural
        model_admin.message_user(
            request, f"{confirmed} {name} {done} by you, now.", messages.SUCCESS
        )
    if unconfirmed := selected.count() - confirmed:
        model_admin.message_user(
            request,
            f"{unconfirmed} of the selected {opts.verbose_name_plural} {left}",
            messages.WARNING,
        )


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

    def get_queryset(self, request):
        # Each row names its entry: fetched a query per model, with what their names read
        # (select_related() follows the required links, as a role's person), not per row.
        entries = [
            model._default_manager.select_related()
            for model in apps.get_models()
            if issubclass(model, Sourced)
        ]
        return super().get_queryset(request).prefetch_related(GenericPrefetch("entry", entries))

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
        return describe_confirmation(obj) if obj.is_inferred else "stated in the source"

    @admin.action(description="Confirm the selected inferences", permissions=["change"])
    def confirm(self, request, queryset):
        confirm_selected(
            self,
            request,
            queryset,
            queryset.unconfirmed_inferences(),
            left="were stated facts or confirmed already, so were left as they were.",
        )
