"""The admin side of review: curators' edits of published items wait for an editor.

``ReviewMixin`` (in every Publishable's admin, through ``PublishableAdmin``) turns a
curator's save of a published item into a ``PendingChange`` (``publishing.pending``)
and gives the item a review page: the published value beside the proposed one, field
by field, with Apply and Reject for editors and Withdraw for the curator who proposed
it. The item's inline rows (a report's recommendations…) are read only for curators
while it is published: a pending change holds the item's own fields, and rows edited
in place would go live unreviewed. Rows with a workflow of their own (a
recommendation's progress updates, ``DraftRowsInline``) may still be added, as drafts.

Rows that are public as part of a parent (a report's recommendations, a person's roles,
an analysis's gaps) have admin pages of their own too: ``review_parents`` names the
parents, so an edit there waits while a parent is published, and ``ChildReview`` refuses
a curator adding a row to a published parent, or moving one there, and deleting one.
A curator never deletes a public item either: that would take it down, an editor's move.

The records of review, the workflow's moves (``Transition``) and the pending changes,
have read-only admin lists: nobody adds, edits or deletes a record of who decided.
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from taggit.utils import edit_string_for_tags

from . import pending, workflow
from .history import form_with_initial
from .models import PendingChange, Status, Transition, workflow_field

WAITS_MESSAGE = "Your changes wait for an editor; the public still sees the published version."
REVIEW_NOTICE = (
    "This item is public, so your changes wait for an editor’s review; the public keeps "
    "seeing the published version until an editor applies them. Rows listed below it "
    "(recommendations, table rows, provenance) cannot be changed here while it is public: "
    "ask an editor, or ask for it to be returned to draft. New progress updates may still "
    "be added: they are saved as drafts, which show nowhere until an editor publishes them."
)
CHILD_REVIEW_NOTICE = (
    "This is shown on a public page with the item it belongs to, so your changes wait for "
    "an editor’s review; the public keeps seeing it as published until an editor applies "
    "them. Rows listed below it cannot be changed here meanwhile. New progress updates may "
    "still be added: they stay unpublished until an editor publishes them."
)
DRAFTS_ADDED = (
    "What you added below is saved, unpublished: it shows nowhere until an editor publishes it."
)
LIST_WAITS = (
    "Rows of public items were not changed: your edits of them wait for an editor’s review, "
    "on each item’s page."
)
NOTE_FIELD = "review_note"


class ReviewNoteForm(forms.ModelForm):
    review_note = forms.CharField(
        label="Note for the editor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Optional: what you changed and why.",
    )


def _as_initial(model, values: dict) -> dict:
    initial = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if pending.is_tags(field):
            value = edit_string_for_tags([SimpleNamespace(name=tag) for tag in value])
        initial[name] = value
    return initial


class ReviewMixin:
    change_form_template = "admin/publishing/change_form.html"
    review_notice = REVIEW_NOTICE
    # Foreign keys to Publishable parents this model's rows are public with.
    review_parents: tuple[str, ...] = ()
    # Whether the model has a workflow state of its own (a role, a recommendation do not).
    own_workflow = True

    def saved_review_status(self, obj) -> str | None:
        """``obj``'s state as saved, for review: published if it or a parent is."""
        own = workflow.saved_status(obj) if self.own_workflow else None
        if own != Status.PUBLISHED and self.parent_is_published(obj):
            return Status.PUBLISHED
        return own

    def parent_is_published(self, obj) -> bool:
        """Whether a parent of ``obj``, as saved, is public in review's sense (published,
        or itself the row of a published parent): ``obj`` is public with it."""
        if obj is None or obj.pk is None or not self.review_parents:
            return False
        links = [_link(self.model, name) for name in self.review_parents]
        columns = [column for link in links for column in link.columns]
        saved = self.model._default_manager.filter(pk=obj.pk).values_list(*columns).first()
        if saved is None:
            return False
        values = iter(saved)
        return any(
            self.parent_status(*link.parent(*(next(values) for _ in link.columns)))
            == Status.PUBLISHED
            for link in links
        )

    def parent_status(self, model, pk) -> str | None:
        """A parent's state for review, as its own admin sees it (its parents count too)."""
        if model is None or pk is None:
            return None
        parent = model(pk=pk)
        owner = self.admin_site._registry.get(model)
        if isinstance(owner, ReviewMixin):
            return owner.saved_review_status(parent)
        try:
            model._meta.get_field(workflow_field(model))
        except FieldDoesNotExist:
            # A row with no workflow and no admin of its own is edited inline only (a
            # report's alignment rows): it is public with the items it belongs to.
            owners = [
                field
                for field in model._meta.concrete_fields
                if field.many_to_one
                and isinstance(self.admin_site._registry.get(field.related_model), ReviewMixin)
            ]
            columns = [field.attname for field in owners]
            saved = model._default_manager.filter(pk=pk).values_list(*columns).first() or ()
            states = [
                self.parent_status(field.related_model, value)
                for field, value in zip(owners, saved, strict=False)
            ]
            return Status.PUBLISHED if Status.PUBLISHED in states else None
        return workflow.saved_status(parent)

    def review_needed(self, request, obj) -> bool:
        if getattr(request, "_history_revert_version", None) is not None:
            return False  # a curator's revert of a public item goes back to review itself
        # Asked several times a request (form, fieldsets, inlines, save): read the state once.
        known = request.__dict__.setdefault("_review_needed", {})
        key = (obj._meta.label, obj.pk)
        if key not in known:
            known[key] = pending.needs_review(obj, self.saved_review_status(obj), request.user)
        return known[key]

    def get_changeform_initial_data(self, request):
        # Choices given in the address (``?report=3``, as "Save and add another" does) that
        # name no row would break the form's rendering: drop them, the form starts empty.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one and not isinstance(field, GenericForeignKey):
                try:
                    field.target_field.to_python(value)
                except ValidationError:
                    del initial[name]
        return initial

    def get_urls(self):
        opts = self.model._meta
        review = path(
            "<path:object_id>/pending-change/",
            self.admin_site.admin_view(self.pending_change_view),
            name=f"{opts.app_label}_{opts.model_name}_pending_change",
        )
        return [review, *super().get_urls()]

    def pending_change_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_pending_change", args=[obj.pk])

    def get_form(self, request, obj=None, change=False, **kwargs):
        review = obj is not None and self.review_needed(request, obj)
        if review:
            kwargs["form"] = type("ReviewForm", (ReviewNoteForm, self.form), {})
        form = super().get_form(request, obj, change=change, **kwargs)
        if not review:
            return form
        # The curator goes on from their own open change, not from the published version.
        current = pending.open_change(obj)
        values = pending.proposed_values(current, self.model) if current else {}
        initial = _as_initial(
            self.model, {k: v for k, v in values.items() if k in form.base_fields}
        )
        if current is not None:
            initial[NOTE_FIELD] = current.note

        return form_with_initial(form, initial)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.review_needed(request, obj):
            # Without declared fieldsets the note is among the form's fields already.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != NOTE_FIELD]})
                for name, options in fieldsets
            ]
            notice = {"fields": [NOTE_FIELD], "description": self.review_notice}
            fieldsets.insert(0, ("Your changes wait for review", notice))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.review_needed(request, obj):
            # A new file cannot wait in a pending change: an editor uploads it.
            fields += [f.name for f in self.model._meta.fields if isinstance(f, models.FileField)]
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and self.review_needed(request, obj):
            for inline in inlines:
                if not getattr(inline, "review_adds_drafts", False):
                    inline.max_num = 0
                    inline.has_add_permission = _refuse
                inline.has_change_permission = _refuse
                inline.has_delete_permission = _refuse
        return inlines

    def save_model(self, request, obj, form, change):
        if not (change and self.review_needed(request, obj)):
            super().save_model(request, obj, form, change)
            return
        live = type(obj)._default_manager.get(pk=obj.pk)
        taken_down = [name for name in pending.TAKE_DOWN_FIELDS if name in form.changed_data]
        with transaction.atomic():
            if taken_down:
                for name in taken_down:
                    setattr(live, name, getattr(obj, name))
                # A whole save, so every re-marking rule runs (a file's clearance too).
                live.save()
                workflow.record(
                    live,
                    Status.PUBLISHED,
                    getattr(live, workflow_field(live)),
                    by=request.user,
                    note="re-marked",
                )
            request._pending_change = pending.pending_change_propose(
                obj=live,
                cleaned_data=form.cleaned_data,
                by=request.user,
                note=form.cleaned_data.get(NOTE_FIELD, ""),
            )
        request._pending_taken_down = taken_down

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "_pending_change"):
            # Links wait in the pending change; inline rows are read only, except new
            # drafts (DraftRowsInline), which are saved now: they show nowhere yet.
            for formset in formsets:
                if getattr(formset, "review_adds_drafts", False):
                    self.save_formset(request, form, formset, change=True)
                    if formset.new_objects:
                        request._drafts_added = True
            return
        super().save_related(request, form, formsets, change)
        self.after_save_related(form.instance)

    def construct_change_message(self, request, form, formsets, add=False):
        if hasattr(request, "_pending_change"):  # the admin log says what happened
            return "Proposed a change for an editor's review; the item itself is unchanged."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if not hasattr(request, "_pending_change"):
            return super().response_change(request, obj)
        if request._pending_change is None:
            text = "Nothing waits for review: the item is as published."
        else:
            text = WAITS_MESSAGE
        if request._pending_taken_down:
            text += " The new marking applies now, as any re-marking does."
        if getattr(request, "_drafts_added", False):
            text += " " + DRAFTS_ADDED
        self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(request.path)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "POST" and hasattr(request, "_pending_change"):
            # The list's own message counts the rows it saved; say which did not change.
            self.message_user(request, LIST_WAITS, messages.WARNING)
        return response

    def has_delete_permission(self, request, obj=None) -> bool:
        # No Delete button for a curator on a public item (taking it down is an editor's
        # move); the list's bulk delete is refused in get_deleted_objects.
        if obj is not None and self.review_needed(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not workflow.is_editor(request.user):
            for obj in objs:
                if self.saved_review_status(obj) == Status.PUBLISHED:
                    # Django refuses the delete (403) and lists this as the reason.
                    perms_needed.add(f"{obj._meta.verbose_name} “{obj}”, which is public")
        return deleted, counts, perms_needed, protected

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None and request.method == "GET":
            context["pending_change"] = pending.open_change(obj)
            context["pending_change_url"] = self.pending_change_url(obj)
            if context["pending_change"] is None:
                context["last_decision"] = pending.last_decision(obj)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def after_save_related(self, obj) -> None:
        """What follows a save of the item with its links: the admin's, or an applied change."""

    def before_applied_save(self, obj, by) -> None:
        """What an editor's applying of a change does just before the item is saved."""

    def pending_change_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change = pending.open_change(obj)
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[obj.pk],
        )
        if change is None:
            self.message_user(request, "No change to this item waits for review.", messages.INFO)
            return HttpResponseRedirect(change_url)
        is_editor = workflow.is_editor(request.user)
        is_proposer = change.by_id == request.user.pk
        if request.method == "POST":
            return self._decide(request, obj, change, change_url, is_editor, is_proposer)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change waiting for review: {obj}",
            "opts": self.model._meta,
            "original": obj,
            "change": change,
            "rows": pending.diff_rows(change, obj),
            "change_url": change_url,
            "may_decide": is_editor,
            "may_withdraw": is_proposer,
            "changed_since": _changed_since(obj, change),
        }
        return TemplateResponse(request, "admin/publishing/pending_change.html", context)

    def _decide(self, request, obj, change, change_url, is_editor, is_proposer):
        if "_apply" in request.POST and is_editor:
            try:
                pending.pending_change_apply(
                    change=change,
                    by=request.user,
                    before_save=self.before_applied_save,
                    after_save=self.after_save_related,
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    "The change was not applied and still waits: " + " ".join(error.messages),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            self.message_user(request, f"Applied: the public now sees “{change.item}” as changed.")
        elif "_reject" in request.POST and is_editor:
            pending.pending_change_reject(
                change=change, by=request.user, note=request.POST.get("decision_note", "")[:2000]
            )
            self.message_user(request, "Rejected: the published version stays as it is.")
        elif "_withdraw" in request.POST and is_proposer:
            pending.pending_change_withdraw(change=change, by=request.user)
            self.message_user(request, "You withdrew your change; nothing waits for review.")
        else:
            raise PermissionDenied(
                "Only an editor applies or rejects a change, and only its author withdraws it."
            )
        return HttpResponseRedirect(change_url)


def _refuse(*args, **kwargs) -> bool:
    return False


def _changed_since(obj, change) -> bool:
    """Whether the item was saved after the change was last edited (by an editor, say):
    applying it then replaces what they saved in the fields it holds."""
    saved = getattr(obj, "updated_at", None)
    return saved is not None and saved > change.updated_at


class ChildReview:
    """The admin of rows public with a parent (``review_parents``), before ``ReviewMixin``.

    An edit of a row whose parent is published waits for review (``ReviewMixin``); this
    refuses what would go live at once instead: a curator adding a row to a published
    parent, or moving a row of a draft parent to a published one.
    """

    review_notice = CHILD_REVIEW_NOTICE

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        waits = obj is not None and self.review_needed(request, obj)
        if waits or workflow.is_editor(request.user):
            return form
        links = [_link(self.model, name) for name in self.review_parents]
        links = [link for link in links if set(link.fields) <= set(form.base_fields)]
        admin_ = self

        class ChildForm(form):
            def clean(self):
                cleaned = super().clean()
                for link in links:
                    model, pk = link.parent(*(cleaned.get(name) for name in link.fields))
                    if admin_.parent_status(model, pk) == Status.PUBLISHED:
                        parent = model._default_manager.get(pk=pk)
                        problem = published_parent_refusal(self._meta.model, parent)
                        self.add_error(link.fields[0], problem)
                return cleaned

        ChildForm.__name__ = form.__name__
        return ChildForm

    def add_view(self, request, form_url="", extra_context=None):
        # "Save and add another" from a filtered list opens the add form with the same
        # parent chosen: if that parent is public, say so now, not after the typing.
        if request.method == "GET" and not workflow.is_editor(request.user):
            initial = self.get_changeform_initial_data(request)
            for name in self.review_parents:
                link = _link(self.model, name)
                if not all(initial.get(field) for field in link.fields):
                    continue
                try:
                    model, pk = link.parent(*(initial[field] for field in link.fields))
                    if self.parent_status(model, pk) != Status.PUBLISHED:
                        continue
                    parent = model._default_manager.get(pk=pk)
                except (ValueError, TypeError, ObjectDoesNotExist, ValidationError):
                    continue  # a hand-made address: the form says what is wrong on saving
                problem = published_parent_refusal(self.model, parent)
                self.message_user(request, problem, messages.WARNING)
        return super().add_view(request, form_url, extra_context)


class _Link(NamedTuple):
    """How a row names its parent: a foreign key, or a generic one (a provenance note's)."""

    fields: tuple[str, ...]  # the form's fields that choose the parent
    columns: tuple[str, ...]  # the row's columns that hold it
    parent: Callable  # the fields' or columns' values -> (the parent's model, its pk)


def _link(model, name: str) -> _Link:
    field = model._meta.get_field(name)
    if isinstance(field, GenericForeignKey):

        def generic(content_type, object_id):
            if content_type is None or object_id in (None, ""):
                return None, None
            if not isinstance(content_type, ContentType):
                content_type = ContentType.objects.get_for_id(content_type)
            return content_type.model_class(), object_id

        columns = (model._meta.get_field(field.ct_field).attname, field.fk_field)
        return _Link((field.ct_field, field.fk_field), columns, generic)

    def direct(value):
        return field.related_model, getattr(value, "pk", value)

    return _Link((name,), (field.attname,), direct)


def published_parent_refusal(model, parent) -> str:
    return (
        f"“{parent}” is public, so a {model._meta.verbose_name} added to it would go live "
        "at once, without review. Ask an editor to add it, or to return "
        f"“{parent}” to draft first."
    )


class DraftRowsInline:
    """An inline of rows with a workflow of their own, which a curator may add to a public
    item: they are drafts (``WorkflowInlineMixin`` offers a curator no other state)."""

    review_adds_drafts = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.review_adds_drafts = True
        return formset


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record nobody edits by hand, whatever permissions they hold."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    """Who moved what to which state, and when: the workflow's record, read only."""

    list_display = ["at", "item_name", "content_type", "from_status", "to_status", "by", "note"]
    list_filter = [
        "to_status",
        "from_status",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("by", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["note", "by__username"]
    list_select_related = ["content_type", "by"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description="item")
    def item_name(self, obj) -> str:
        return str(obj.item) if obj.item is not None else f"#{obj.object_id} (deleted)"


@admin.register(PendingChange)
class PendingChangeAdmin(ReadOnlyAdmin):
    """Curators' changes to public items: open ones wait on their item's review page."""

    list_display = ["updated_at", "item_link", "content_type", "by", "outcome", "decided_by"]
    list_filter = ["outcome", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["note", "by__username"]
    list_select_related = ["content_type", "by", "decided_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description="item")
    def item_link(self, obj):
        item = obj.item
        if item is None:
            return f"#{obj.object_id} (deleted)"
        opts = item._meta
        view = "pending_change" if obj.is_open else "change"
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item)
