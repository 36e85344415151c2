"""Admin pieces every content app's admin uses: the workflow and its actions, provenance."""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import workflow
from .history import HistoryAdmin
from .models import (
    REFUSED_MARKINGS,
    REFUSED_MESSAGE,
    Marking,
    Provenance,
    Sourced,
    Status,
    workflow_field,
)
from .review import ChildReview, ReviewMixin
from .workflow import saved_status


class WorkflowForm(forms.ModelForm):
    """A Publishable's change form: offers, and accepts, only the moves its user may make.

    The admin sets ``workflow_user``; the check in ``clean()`` is what refuses a crafted
    POST, whatever choices the form showed.
    """

    workflow_user = None
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(workflow_field(self._meta.model))
        if field is not None and not self.reverting:
            allowed = set(workflow.allowed_targets(self.workflow_user, self.loaded_status))
            field.choices = [(v, label) for v, label in Status.choices if v in allowed]
            field.error_messages["invalid_choice"] = workflow.NOT_YOURS

    @property
    def loaded_status(self) -> str | None:
        """The item's state as saved (read again: a revert's form holds an old version)."""
        if not self.instance.pk:
            return None
        if not hasattr(self, "_saved_status"):
            self._saved_status = saved_status(self.instance)
        return self._saved_status

    def clean(self):
        cleaned = super().clean()
        old = self.loaded_status
        state = workflow_field(self._meta.model)
        new = cleaned.get(state, old if old else Status.DRAFT)
        problem = None if self.reverting else workflow.refusal(self.workflow_user, old, new)
        if problem:
            self.add_error(state if state in self.fields else None, problem)
        go_live, expires = cleaned.get("go_live_at"), cleaned.get("expires_at")
        if go_live and expires and expires <= go_live:
            self.add_error("expires_at", "The expiry must come after the go-live time.")
        return cleaned


class WorkflowInlineMixin:
    """An inline of a Publishable model: its rows' states move only as their user may move
    them (``WorkflowForm``), so a curator cannot publish through another item's page."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form = formset.form
        if not issubclass(form, WorkflowForm):
            form = type(form.__name__, (WorkflowForm, form), {})
        formset.form = type(form.__name__, (form,), {"workflow_user": request.user})
        return formset


class PublishableAdmin(ReviewMixin, HistoryAdmin):
    """The workflow for models with a status: moves by role, schedule, the record of moves.

    Curators send items for review; editors publish, schedule, withdraw and return them
    to draft (``publishing.workflow``). Every route through here that saves, the change
    form, the list's actions and its editable columns, is checked in ``save_model`` too.
    A curator's edit of a published item waits for an editor (``publishing.review``).
    """

    form = WorkflowForm
    actions = ["send_for_review", "publish", "withdraw", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]
    workflow_readonly_fields = ["status_changed_at", "workflow_history", "preview_link"]
    schedule_fields = ["go_live_at", "expires_at"]
    # A curator typing "www.example.org" means the secure address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_publish_permission(self, request) -> bool:
        return workflow.is_editor(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, AdminSplitDateTime):
            # The admin labels the pair, not each box: name them, for screen readers.
            name = str(db_field.verbose_name).capitalize()
            for part, box in zip(("date", "time (UK)"), widget.widgets, strict=True):
                box.attrs["aria-label"] = f"{name}: {part}"
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A revert never takes the state from the old version (publishing.history), so
        # the status it shows is not a move to check.
        reverting = getattr(request, "_history_revert_version", None) is not None
        return type(form.__name__, (form,), {"workflow_user": request.user, "reverting": reverting})

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        if not issubclass(form, WorkflowForm):
            form = type(form.__name__, (WorkflowForm, form), {})
        return type(form.__name__, (form,), {"workflow_user": request.user})

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.workflow_readonly_fields]
        if not self.has_publish_permission(request):
            fields += self.schedule_fields
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        named = {f for _, options in fieldsets for f in flatten_fieldsets([(None, options)])}
        wanted = [tuple(self.schedule_fields)] if self.schedule_fields else []
        shown = ("status_changed_at", "workflow_history")
        wanted += [f for f in shown if f in self.workflow_readonly_fields]
        if obj is not None and obj.get_preview_url():
            wanted.insert(0, "preview_link")
        wanted = [f for f in wanted if not set(f if isinstance(f, tuple) else [f]) & named]
        if wanted:
            fieldsets.insert(1, ("Workflow and schedule", {"fields": wanted}))
        return fieldsets

    @admin.display(description="preview")
    def preview_link(self, obj) -> str:
        url = obj.get_preview_url() if obj and obj.pk else None
        if not url:
            return "–"
        return format_html('<a href="{}">See it as the public will (preview, not public)</a>', url)

    @admin.display(description="workflow history")
    def workflow_history(self, obj) -> str:
        moves = list(workflow.history(obj)) if obj and obj.pk else []
        if not moves:
            return "No moves recorded."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(move.at), "j M Y H:i"),
                    move.by.get_username() if move.by else "not recorded",
                    str(move),
                    move.note,
                )
                for move in moves
            ),
        )
        return format_html(
            "<table><thead><tr><th>When (UK time)</th><th>Who</th><th>Move</th>"
            "<th>Note</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def after_revert(self, request, obj, before) -> None:
        """A curator's revert of a public item goes back through review; an editor's stays."""
        state = workflow_field(obj)
        if getattr(before, state) != Status.PUBLISHED or workflow.is_editor(request.user):
            super().after_revert(request, obj, before)
            return
        with transaction.atomic():
            setattr(obj, state, Status.IN_REVIEW)
            obj.save(update_fields=[state, "updated_at"])
            workflow.record(
                obj, Status.PUBLISHED, Status.IN_REVIEW, by=request.user, note="reverted"
            )
        self.message_user(
            request,
            f"Reverted “{obj}” to an earlier version. It was public, so it is now in review "
            "and off the site until an editor publishes it again.",
            messages.WARNING,
        )

    def save_model(self, request, obj, form, change):
        old = saved_status(obj) if change else None
        # The form has already said why a move is refused; this is the last word for any
        # route that saves without that form. A revert keeps the state as it is now
        # (publishing.history), so the old version's state is no move.
        new = getattr(obj, workflow_field(obj))
        if getattr(request, "_history_revert_version", None) is None:
            workflow.check(request.user, old, new)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            workflow.record(obj, old, new, by=request.user)

    def _move(self, request, queryset, status: str, verb: str) -> None:
        changed, refused = 0, []
        # Save one by one rather than queryset.update(): post_save signals keep caches fresh.
        for obj in queryset.exclude(**{workflow_field(self.model): status}):
            problem = self.move_refusal(request, obj, status)
            if problem:
                refused.append(problem)
                continue
            workflow.move(obj, status, by=request.user)
            changed += 1
        opts = self.model._meta
        name = opts.verbose_name if changed == 1 else opts.verbose_name_plural
        if changed:
            self.message_user(request, f"{changed} {name} {verb}.", messages.SUCCESS)
        for problem in dict.fromkeys(refused):
            self.message_user(request, problem, messages.ERROR)
        if not changed and not refused:
            self.message_user(
                request,
                f"Nothing changed: the selected {opts.verbose_name_plural} were already {verb}.",
                messages.WARNING,
            )

    def move_refusal(self, request, obj, status: str) -> str | None:
        """Why ``obj`` may not move to ``status`` now: the role, or the model's rules.

        The model's constraints (a published report has a date…) are checked as the
        change form would, so an action says why rather than failing in the database.
        """
        state = workflow_field(obj)
        old = getattr(obj, state)
        problem = workflow.refusal(request.user, old, status)
        if problem:
            return problem
        setattr(obj, state, status)
        try:
            obj.validate_constraints()
        except ValidationError as error:
            return f"“{obj}” was left as it was: {' '.join(error.messages)}"
        finally:
            setattr(obj, state, old)
        return None

    @admin.action(
        description="Send selected %(verbose_name_plural)s for review", permissions=["change"]
    )
    def send_for_review(self, request, queryset):
        self._move(request, queryset, Status.IN_REVIEW, "sent for review")

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Withdraw selected %(verbose_name_plural)s", permissions=["publish"])
    def withdraw(self, request, queryset):
        published = queryset.filter(**{workflow_field(self.model): Status.PUBLISHED})
        self._move(request, published, Status.WITHDRAWN, "withdrawn")

    @admin.action(
        description="Return selected %(verbose_name_plural)s to draft", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._move(request, queryset, Status.DRAFT, "unpublished")


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
class ProvenanceAdmin(ChildReview, ReviewMixin, admin.ModelAdmin):
    """Every entry's sources in one list, so curators can work down the inferences.

    A note is public with its entry (the inference notes on its page): while the entry is
    published, a curator's edit here waits for an editor, as on the entry's own page.
    """

    review_parents = ("entry",)
    own_workflow = False

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


class MarkingField(forms.ChoiceField):
    """A marking, offering SECRET and TOP SECRET only to refuse them with the reason."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        choices = [*Marking.choices, *((m, m) for m in REFUSED_MARKINGS)]
        super().__init__(choices=choices, required=False, **kwargs)

    def to_python(self, value):
        # Not given: OFFICIAL, the default marking.
        return super().to_python(value) or Marking.OFFICIAL

    def validate(self, value):
        if value in REFUSED_MARKINGS:
            raise ValidationError(REFUSED_MESSAGE, code="refused_marking")
        super().validate(value)


class MarkingMixin:
    """The admin of marked content: its marking, the release decision, a banner on its pages.

    The marking is shown as a banner on the item's change, history and delete pages.
    Clearing for public release is an editors' decision, recorded with who and when.
    """

    marking_fields = ("marking", "pdf_marking")
    change_form_template = "admin/publishing/marked_change_form.html"
    object_history_template = "admin/publishing/marked_object_history.html"
    delete_confirmation_template = "admin/publishing/marked_delete_confirmation.html"

    def has_publish_permission(self, request) -> bool:
        return workflow.is_editor(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.marking_fields:
            return MarkingField(
                label=db_field.verbose_name.capitalize(),
                initial=Marking.OFFICIAL,
                help_text="OFFICIAL or OFFICIAL-SENSITIVE. Never SECRET or above.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="cleared for public release")
    def release(self, obj) -> str:
        return describe_release(obj)

    @admin.action(
        description="Clear selected %(verbose_name_plural)s for public release",
        permissions=["publish"],
    )
    def clear_for_release(self, request, queryset):
        cleared, sensitive = 0, 0
        for obj in queryset:
            if obj.marking != Marking.OFFICIAL:
                sensitive += 1
                continue
            with transaction.atomic():
                self.clear(obj, request.user)
            cleared += 1
        opts = self.model._meta
        if cleared:
            name = opts.verbose_name if cleared == 1 else opts.verbose_name_plural
            self.message_user(
                request,
                f"{cleared} {name} cleared for public release by you, now.",
                messages.SUCCESS,
            )
        if sensitive:
            self.message_user(
                request,
                f"{sensitive} of the selected {opts.verbose_name_plural} are OFFICIAL-SENSITIVE "
                "and were not cleared: only OFFICIAL material can be released.",
                messages.WARNING,
            )

    def clear(self, obj, user) -> None:
        """Clear ``obj`` for release; subclasses clear what belongs with it too."""
        obj.clear_for_release(user)
        obj.save(update_fields=["cleared_at", "cleared_by", "cleared_note", "updated_at"])


class MarkedAdmin(MarkingMixin, PublishableAdmin):
    actions = [*PublishableAdmin.actions, "clear_for_release"]
    workflow_readonly_fields = [*PublishableAdmin.workflow_readonly_fields, "release"]


def describe_release(obj) -> str:
    if obj.cleared_at is None:
        return "Not cleared"
    who = obj.cleared_by.get_username() if obj.cleared_by else (obj.cleared_note or "not recorded")
    return f"By {who}, {date_format(timezone.localtime(obj.cleared_at), 'j M Y H:i')}"
