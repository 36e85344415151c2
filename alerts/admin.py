import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse

from involvement.models import InterestRegistration
from involvement.personal_data import personal_data_erase, personal_data_export

from .models import DigestEntry, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "confirmed_at", "last_digest_at", "theme_list"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter), "themes"]
    search_fields = ["email"]
    actions = ["export_personal_data", "erase_personal_data"]
    fields = [
        "email",
        "themes",
        "includes_gap_register",
        "frequency",
        ("requested_at", "confirmation_sent_at", "confirmed_at"),
        ("consented_at", "privacy_notice_version"),
        ("last_digest_at", "digest_window_end", "digest_attempts"),
    ]
    readonly_fields = [
        "email",
        "themes",
        "includes_gap_register",
        "frequency",
        "requested_at",
        "confirmation_sent_at",
        "confirmed_at",
        "consented_at",
        "privacy_notice_version",
        "last_digest_at",
        "digest_window_end",
        "digest_attempts",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def has_add_permission(self, request):
        # Only the person can subscribe, from the public form, with their own consent.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="themes")
    def theme_list(self, obj):
        names = [theme.short_name for theme in obj.themes.all()]
        if obj.includes_gap_register:
            names.append("gap register")
        return ", ".join(names)

    def _one_email(self, request, queryset) -> str | None:
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1:
            self.message_user(
                request, "Select subscriptions from one email address at a time.", messages.ERROR
            )
            return None
        return emails.pop()

    @admin.action(
        description="Export all data held about this email address (JSON)", permissions=["view"]
    )
    def export_personal_data(self, request, queryset):
        email = self._one_email(request, queryset)
        if email is None:
            return None
        response = HttpResponse(
            json.dumps(personal_data_export(email=email), indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(
        description="Erase all data held about this email address", permissions=["delete"]
    )
    def erase_personal_data(self, request, queryset):
        email = self._one_email(request, queryset)
        if email is None:
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase all data held about this email address?",
                "opts": self.model._meta,
                "email": email,
                "subscriptions": Subscription.objects.for_email(email).count(),
                "registrations": InterestRegistration.objects.for_email(email).count(),
                "selected": queryset.values_list("pk", flat=True),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/alerts/subscription/erase_confirmation.html", context
            )
        erased = personal_data_erase(email=email)
        self.message_user(
            request,
            f"Erased {erased.get('alert_subscriptions', 0)} alert subscription(s) and "
            f"{erased['registrations']} registration(s) for that email address.",
            messages.SUCCESS,
        )
        return None


@admin.register(DigestEntry)
class DigestEntryAdmin(admin.ModelAdmin):
    """What the digests have seen become public, for a curator asking why an item was sent."""

    list_display = ["source", "key", "object_id", "seen_at"]
    list_filter = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
