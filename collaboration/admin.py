from django.contrib import admin
from django.db.models import F, Prefetch
from django.utils import timezone

from publishing.admin import (
    InferenceFilter,
    ProvenanceInline,
    PublishableAdmin,
    confirm_selected,
    describe_confirmation,
)
from publishing.history import HistoryAdmin
from publishing.review import ChildReview, ReviewMixin

from .models import Organisation, Person, Role, Theme


@admin.register(Theme)
class ThemeAdmin(PublishableAdmin):
    list_display = ["position", "short_name", "full_name", "status", "updated_at"]
    list_display_links = ["position", "short_name"]
    list_filter = ["status", InferenceFilter]
    search_fields = ["short_name", "full_name", "alternative_wording", "description"]
    inlines = [ProvenanceInline]
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
    list_filter = ["status", "kind", "is_member", InferenceFilter]
    search_fields = ["name", "short_name", "description"]
    inlines = [ProvenanceInline]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["-is_member", "kind", "name"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_member", "status"]}),
        ("About", {"fields": ["website", "description"]}),
        ("Public contact", {"fields": ["contact_email", "has_agreed_to_public_contact"]}),
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


class ConfirmedCurrentFilter(admin.SimpleListFilter):
    title = "confirmed as current"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Named in a source, not confirmed"), ("yes", "Confirmed or unsourced")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.last_named_in_sources()
        if self.value() == "yes":
            return queryset.confirmed_current()
        return queryset


ROLE_FIELDS = [
    ("kind", "title"),
    ("organisation", "theme"),
    ("start_date", "end_date"),
    "dates_note",
    ("source", "latest_source"),
    "current_confirmation",
]


class RoleConfirmation:
    readonly_fields = ["current_confirmation"]

    @admin.display(description="confirmed as current")
    def current_confirmation(self, role) -> str:
        if role.confirmed_at is None and role.latest_source_id is None:
            return "rests on no source"
        return describe_confirmation(role)


class RoleInline(RoleConfirmation, admin.StackedInline):
    model = Role
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organisation", "theme", "source", "latest_source"]
    fields = ROLE_FIELDS


@admin.register(Person)
class PersonAdmin(PublishableAdmin):
    list_display = ["name", "honorific", "organisation", "roles_held", "status", "updated_at"]
    list_filter = [
        "status",
        "roles__kind",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        InferenceFilter,
    ]
    search_fields = ["name", "honorific", "organisation__name", "organisation__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [RoleInline, ProvenanceInline]
    fieldsets = [
        (None, {"fields": ["honorific", "name", "slug", "organisation", "status"]}),
        ("About", {"fields": ["biography"]}),
        ("Public contact", {"fields": ["contact_email", "has_agreed_to_public_contact"]}),
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
class RoleAdmin(ChildReview, ReviewMixin, RoleConfirmation, HistoryAdmin):
    """A role is public with its person: while they are published, edits here wait."""

    review_parents = ("person",)
    own_workflow = False
    list_display = [
        "person",
        "kind",
        "title",
        "organisation",
        "theme",
        "start_date",
        "end_date",
        "is_current",
        "current_confirmation",
    ]
    list_filter = [
        "kind",
        CurrentRoleFilter,
        ConfirmedCurrentFilter,
        InferenceFilter,
        ("theme", admin.RelatedOnlyFieldListFilter),
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person__name", "title", "organisation__name", "theme__short_name"]
    autocomplete_fields = ["person", "organisation", "theme", "source", "latest_source"]
    list_select_related = ["person", "organisation", "theme", "confirmed_by"]
    date_hierarchy = "start_date"
    fields = ["person", *ROLE_FIELDS]
    inlines = [ProvenanceInline]
    actions = ["confirm_current"]

    @admin.display(boolean=True, description="Current")
    def is_current(self, obj) -> bool:
        return obj.is_current()

    @admin.action(description="Confirm the selected roles are still held", permissions=["change"])
    def confirm_current(self, request, queryset):
        confirm_selected(
            self,
            request,
            queryset,
            queryset.current(),
            left="have an end date, so were not confirmed.",
            done="confirmed as current",
        )
