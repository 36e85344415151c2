import csv
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from reports.models import KnowledgeGap

from .models import InterestRegistration
from .personal_data import personal_data_counts, personal_data_erase, personal_data_export
from .services import registration_history_forget

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    ("id", lambda r: r.pk),
    ("registered", lambda r: r.created_at.isoformat()),
    ("status", lambda r: r.get_status_display()),
    ("handled by", lambda r: r.handled_by.get_username() if r.handled_by else ""),
    ("name", lambda r: r.name),
    ("email", lambda r: r.email),
    ("institution or organisation", lambda r: r.institution),
    ("role", lambda r: r.role),
    ("discipline", lambda r: r.discipline_display),
    ("themes", lambda r: "; ".join(theme.short_name for theme in r.themes.all())),
    ("expertise keywords", lambda r: r.expertise),
    ("message", lambda r: r.message),
    ("curator notes", lambda r: r.curator_notes),
    ("consented at", lambda r: r.consented_at.isoformat() if r.consented_at else ""),
    ("privacy notice version", lambda r: r.privacy_notice_version),
]


def csv_safe(value) -> str:
    """Text for a CSV cell that a spreadsheet will show, never run (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class NotifiedFilter(admin.SimpleListFilter):
    title = "emails sent"
    parameter_name = "notified"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not yet sent")]

    def queryset(self, request, queryset):
        pending = InterestRegistration.objects.pending_notification().values("pk")
        if self.value() == "yes":
            return queryset.exclude(pk__in=pending)
        if self.value() == "no":
            return queryset.filter(pk__in=pending)
        return queryset


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "institution",
        "theme_list",
        "status",
        "handled_by",
        "created_at",
        "is_notified",
    ]
    list_filter = ["status", "themes", "created_at", "discipline", "handled_by", NotifiedFilter]
    date_hierarchy = "created_at"
    search_fields = [
        "name",
        "email",
        "institution",
        "role",
        "expertise",
        "message",
        "curator_notes",
    ]
    list_select_related = ["handled_by"]
    list_per_page = 50
    actions = ["export_csv", "export_personal_data", "erase_personal_data"]
    filter_horizontal = ["matched_gaps", "matched_reports"]
    readonly_fields = [
        "suggested_gaps",
        "consent",
        "consented_at",
        "privacy_notice_version",
        "notified_at",
        "acknowledged_at",
        "notification_attempts",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    fieldsets = [
        ("Follow-up", {"fields": ["status", "handled_by", "curator_notes"]}),
        (
            "Suggestions and matches",
            {"fields": ["suggested_gaps", "matched_gaps", "matched_reports"]},
        ),
        (
            "What they told us",
            {
                "fields": [
                    "name",
                    "email",
                    "institution",
                    "role",
                    ("discipline", "discipline_other"),
                    "themes",
                    "expertise",
                    "message",
                ]
            },
        ),
        (
            "Consent and emails",
            {
                "fields": [
                    ("consent", "consented_at", "privacy_notice_version"),
                    ("notified_at", "acknowledged_at", "notification_attempts"),
                    ("created_at", "updated_at", "closed_at"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def has_add_permission(self, request):
        # Registrations come from the public form, with the person's own consent.
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handled_by":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="themes")
    def theme_list(self, obj):
        return ", ".join(theme.short_name for theme in obj.themes.all())

    @admin.display(description="emails sent", boolean=True)
    def is_notified(self, obj):
        return obj.notified_at is not None and obj.acknowledged_at is not None

    @admin.display(description="open knowledge gaps in the same themes")
    def suggested_gaps(self, obj):
        if obj.pk is None:
            return "–"
        themes = obj.themes.all()
        gaps = (
            KnowledgeGap.objects.published()
            .open()
            .in_themes(themes)
            .select_related("analysis", "theme")
            .prefetch_related("analysis__themes")
        )
        if not gaps:
            return "No open knowledge gaps in these themes yet."
        return format_html(
            '<ul class="empac-suggestions">{}</ul>',
            format_html_join(
                "\n",
                "<li>{} <span>({}; {})</span></li>",
                (
                    (
                        self._gap_link(gap),
                        gap.theme or "; ".join(t.short_name for t in gap.analysis.themes.all()),
                        gap.get_status_display(),
                    )
                    for gap in gaps
                ),
            ),
        )

    @staticmethod
    def _gap_link(gap):
        url = reverse("admin:reports_knowledgegap_change", args=[gap.pk])
        return format_html('<a href="{}">{}</a>', url, gap.question)

    def log_deletions(self, request, queryset):
        # The admin's history would otherwise keep each deleted person's name.
        ids = [obj.pk for obj in queryset]
        content_type = registration_history_forget(ids=ids)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"Registration #{pk}",
                action_flag=DELETION,
            )
            for pk in ids
        )

    @admin.action(description="Export selected registrations as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.csv"'
        response.write("\ufeff")  # lets Excel read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow([heading for heading, _ in CSV_COLUMNS])
        for registration in queryset.select_related("handled_by").prefetch_related("themes"):
            writer.writerow([csv_safe(value(registration)) for _, value in CSV_COLUMNS])
        return response

    def _one_email(self, request, queryset) -> str | None:
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1:
            self.message_user(
                request,
                "Select registrations from one email address at a time "
                f"(the selection holds {len(emails)}). Search for the address first.",
                messages.ERROR,
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
        data = personal_data_export(email=email)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
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
        if request.POST.get("confirm") == "yes":
            erased = personal_data_erase(email=email)
            count = erased.pop("registrations")
            others = "".join(
                f", {n} {name.replace('_', ' ')[:-1] if n == 1 else name.replace('_', ' ')}"
                for name, n in erased.items()
            )
            self.message_user(
                request,
                f"Erased {count} registration{'s' if count != 1 else ''}{others} "
                "and their admin history for that email address.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase all data held about this email address?",
            "opts": self.model._meta,
            "email": email,
            "registrations": InterestRegistration.objects.for_email(email),
            "others": {
                name.replace("_", " "): n
                for name, n in personal_data_counts(email=email).items()
                if n
            },
            "selected": queryset.values_list("pk", flat=True),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/involvement/interestregistration/erase_confirmation.html", context
        )
