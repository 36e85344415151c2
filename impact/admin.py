from django.contrib import admin

from publishing.admin import InferenceFilter, ProvenanceInline, PublishableAdmin

from .models import ImpactEntry


@admin.register(ImpactEntry)
class ImpactEntryAdmin(PublishableAdmin):
    list_display = ["title", "kind", "happened_on", "status", "updated_at"]
    list_filter = [
        "status",
        "kind",
        ("themes", admin.RelatedOnlyFieldListFilter),
        ("organisations", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["title", "description"]
    date_hierarchy = "happened_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "themes",
        "recommendations",
        "knowledge_gaps",
        "reports",
        "organisations",
    ]
    inlines = [ProvenanceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", ("kind", "happened_on")]}),
        ("What changed", {"fields": ["description", "evidence_url"]}),
        (
            "What it came from and who was involved",
            {
                "fields": [
                    "themes",
                    "recommendations",
                    "knowledge_gaps",
                    "reports",
                    "organisations",
                ],
                "description": "Pages name only the linked items that are public themselves.",
            },
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
