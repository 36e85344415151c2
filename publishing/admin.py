"""Admin pieces every content app's admin uses: publish and unpublish actions."""

from django.contrib import admin, messages
from django.db import models

from .models import Status


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
