from django.contrib import admin
from django.db.models import F, Prefetch
from django.utils import timezone

from publishing.admin import PublishableAdmin

from .models import Organisation, Person, Role, Theme


@admin.register(Theme)
class ThemeAdmin(PublishableAdmin):
    list_display = ["position", "short_name", "full_name", "status", "updated_at"]
    list_display_links = ["position", "short_name"]
    list_filter = ["status"]
    search_fields = ["short_name", "full_name", "alternative_wording", "description"]
    prepopulated_fields = {"slug": ["short_name"]}
    ordering = ["position"]
    fieldsets = [
        (None, {"fields": ["position", "short_name", "slug", "status"]}),
        ("Wording", {"fields": ["full_name", "alternative_wording", "description"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ["name", "short_name", "kind", "is_member", "status", "updated_at"]
    list_filter = ["status", "kind", "is_member"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["-is_member", "kind", "name"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_member", "status"]}),
        ("About", {"fields": ["website", "description"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


class CurrentRoleFilter(admin.SimpleListFilter):
    title = "held"
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("current", "Currently"), ("past", "In the past")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "past":
            return queryset.past(today)
        return queryset


class RoleInline(admin.StackedInline):
    model = Role
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organisation", "theme", "source"]
    fields = [
        ("kind", "title"),
        ("organisation", "theme"),
        ("start_date", "end_date"),
        "dates_note",
        "source",
    ]


@admin.register(Person)
class PersonAdmin(PublishableAdmin):
    list_display = ["name", "honorific", "organisation", "roles_held", "status", "updated_at"]
    list_filter = ["status", "roles__kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "honorific", "organisation__name", "organisation__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "organisation", "status"]}),
        ("About", {"fields": ["biography"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # roles_held lists each person's roles: fetch them all in one query, not one per row.
        roles = Role.objects.order_by(
            F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "kind"
        ).only("person_id", "kind", "start_date", "end_date")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    @admin.display(description="Roles")
    def roles_held(self, obj) -> str:
        today = timezone.localdate()
        held = []
        for role in obj.roles.all():
            label = role.get_kind_display()
            held.append(label if role.is_current(today) else f"{label} (past)")
        return ", ".join(held) or "–"


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "kind",
        "title",
        "organisation",
        "theme",
        "start_date",
        "end_date",
        "is_current",
    ]
    list_filter = [
        "kind",
        CurrentRoleFilter,
        ("theme", admin.RelatedOnlyFieldListFilter),
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person__name", "title", "organisation__name", "theme__short_name"]
    autocomplete_fields = ["person", "organisation", "theme", "source"]
    list_select_related = ["person", "organisation", "theme"]
    date_hierarchy = "start_date"
    fields = [
        "person",
        ("kind", "title"),
        ("organisation", "theme"),
        ("start_date", "end_date"),
        "dates_note",
        "source",
    ]

    @admin.display(boolean=True, description="Current")
    def is_current(self, obj) -> bool:
        return obj.is_current()
