"""The admin's view of content history (django-simple-history): versions, compare, revert.

``HistoryAdmin`` adds to simple-history's admin: the history page lists each version
with the names of the fields it changed (not whole texts), two versions are compared
side by side, and a revert restores what a curator wrote, never the item's state
(draft, published…) nor what was computed from its file, which stay as they are now.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .models import Publishable, workflow_field

# Where a version keeps the names of its tags, for a model whose history keeps them
# (a report: history/tags.py), one per line; NULL in versions from before they were.
TAGS_FIELD = "tag_names"

# What a revert of a Publishable never takes from the old version: the state is the
# workflow's to change (a knowledge gap's own "status" is content, and is reverted).
# Nor the schedule, nor a release decision: those are editors' decisions, made now.
STATE_FIELDS = ("status",)
DECISION_FIELDS = (
    "status_changed_at",
    "go_live_at",
    "expires_at",
    "cleared_at",
    "cleared_by",
    "cleared_note",
    "pdf_cleared_at",
    "pdf_cleared_by",
)


def tracked_field_names(model) -> list[str]:
    history_model = model.history.model
    return [field.name for field in history_model.tracked_fields]


def field_rows(model, older, newer) -> list[dict]:
    """Each tracked field of two versions of one item, for a side-by-side table."""
    rows = []
    for field in model._meta.concrete_fields:
        if field.name not in tracked_field_names(model) or field.primary_key:
            continue
        if field.name in {"created_at", "updated_at"}:
            continue
        old_value, new_value = (
            _display(field, getattr(record, field.attname)) for record in (older, newer)
        )
        rows.append(
            {
                "label": field.verbose_name,
                "old": old_value,
                "new": new_value,
                "changed": getattr(older, field.attname) != getattr(newer, field.attname),
            }
        )
    return rows


def linked_fields(model) -> list:
    """The many-to-many fields history keeps for ``model`` (``m2m_fields``)."""
    return list(getattr(model.history.model, "_history_m2m_fields", ()))


def linked_pks(record, field) -> list:
    """The pks ``record`` (one version) was linked to through ``field``."""
    reverse_name = field.m2m_reverse_field_name()
    return sorted(getattr(record, field.name).values_list(f"{reverse_name}_id", flat=True))


def keeps_tags(model) -> bool:
    """Whether the history of ``model`` keeps its tags (a report's does)."""
    return hasattr(model.history.model, TAGS_FIELD)


def tag_names(record) -> list[str] | None:
    """The tag names one version had; None where they were not recorded."""
    kept = getattr(record, TAGS_FIELD, None)
    return None if kept is None else [name for name in kept.splitlines() if name]


def tags_initial(record) -> list | None:
    """A version's tags as a form's tags box starts from them: objects with a ``name``,
    as taggit's field and widget expect (they quote names that need it)."""
    kept = tag_names(record)
    return None if kept is None else [SimpleNamespace(name=name) for name in kept]


def tags_row(older, newer) -> dict:
    old, new = tag_names(older), tag_names(newer)
    shown = ["not recorded" if names is None else "\n".join(names) or "–" for names in (old, new)]
    return {
        "label": "tags",
        "old": shown[0],
        "new": shown[1],
        "changed": old is not None and new is not None and old != new,
    }


def unversioned_links(model) -> list[str]:
    """The names of ``model``'s links history does not keep."""
    kept = {field.name for field in linked_fields(model)}
    if keeps_tags(model):
        kept.add("tags")
    return [str(f.verbose_name).lower() for f in model._meta.many_to_many if f.name not in kept]


def page_links(model, field, records) -> dict:
    """For each of ``records`` (versions), by history id: the pks it was linked to."""
    rows = getattr(model.history.model, field.name).model._default_manager
    reverse_name = field.m2m_reverse_field_name()
    found = {record.pk: [] for record in records}
    pairs = rows.filter(history__in=list(found)).values_list("history_id", f"{reverse_name}_id")
    for history_id, pk in pairs:
        found[history_id].append(pk)
    return {history_id: sorted(pks) for history_id, pks in found.items()}


def linked_rows(model, older, newer) -> list[dict]:
    rows = []
    for field in linked_fields(model):
        old_pks, new_pks = linked_pks(older, field), linked_pks(newer, field)
        names = field.related_model._default_manager.in_bulk({*old_pks, *new_pks})
        rows.append(
            {
                "label": field.verbose_name,
                "old": _names(names, old_pks),
                "new": _names(names, new_pks),
                "changed": old_pks != new_pks,
            }
        )
    return rows


def _names(objects: dict, pks: list) -> str:
    return "\n".join(str(objects.get(pk, f"#{pk} (deleted)")) for pk in pks) or "–"


def _display(field, value) -> str:
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    return str(value)


class HistoryAdmin(SimpleHistoryAdmin):
    """For a content model registered with simple-history (history/models.py)."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    history_list_per_page = 50

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name=f"{opts.app_label}_{opts.model_name}_history_compare",
        )
        # Before simple-history's own "<id>/history/<version>/", which would take "compare".
        return [compare, *super().get_urls()]

    def history_compare_view(self, request, object_id):
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        versions = self.model.history.filter(**{self.model._meta.pk.attname: obj.pk})
        chosen = []
        for key in ("from", "to"):
            value = request.GET.get(key, "")
            if not value.isdigit():
                messages.warning(request, "Choose two versions to compare.")
                return self._back_to_history(obj)
            chosen.append(get_object_or_404(versions, history_id=int(value)))
        older, newer = sorted(chosen, key=lambda record: record.history_date)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare two versions: {obj}",
            "opts": self.model._meta,
            "object": obj,
            "older": older,
            "newer": newer,
            "rows": [
                *field_rows(self.model, older, newer),
                *linked_rows(self.model, older, newer),
                *([tags_row(older, newer)] if keeps_tags(self.model) else []),
            ],
            "history_url": self._history_url(obj),
            "unversioned_links": unversioned_links(self.model),
        }
        return TemplateResponse(request, "admin/history/compare.html", context)

    def _history_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])

    def _back_to_history(self, obj):
        return redirect(self._history_url(obj))

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        context = {
            "compare_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history_compare", args=[object_id]
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The fields each version changed, its links included, in a query per link field.

        simple-history diffs links version by version (queries per row of the page);
        here they are read for the whole page at once and compared in memory.
        """
        records = list(historical_records)
        fields = linked_fields(self.model)
        if not fields or len(records) < 2:
            super().set_history_delta_changes(request, records, foreign_keys_are_objs)
            self._add_tag_changes(records)
            return
        links = {field: page_links(self.model, field, records) for field in fields}
        previous = None
        for current in records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=[field.name for field in fields],
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                changes = helper.context_for_delta_changes(delta)
                changes += [
                    {"field": field.verbose_name}
                    for field, by_version in links.items()
                    if by_version[previous.pk] != by_version[current.pk]
                ]
                previous.history_delta_changes = changes
            previous = current
        self._add_tag_changes(records)

    def _add_tag_changes(self, records) -> None:
        """Name "tags" among the changes of each version whose tags differ from the one before."""
        if not keeps_tags(self.model):
            return
        for newer, older in zip(records, records[1:], strict=False):
            if tags_row(older, newer)["changed"]:
                changes = getattr(newer, "history_delta_changes", None) or []
                newer.history_delta_changes = [*changes, {"field": "tags"}]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Marks the save that follows as a revert (save_model reads it).
        request._history_revert_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        version_id = getattr(request, "_history_revert_version", None)
        if version_id is None or obj is None:
            return form
        if not linked_fields(self.model) and not keeps_tags(self.model):
            return form
        # simple-history's revert form shows the links as they are now; show the
        # version's, so reverting restores them too (tags too, where they were recorded).
        record = get_object_or_404(self.model.history, history_id=version_id)
        initial = {
            field.name: linked_pks(record, field)
            for field in linked_fields(self.model)
            if field.name in form.base_fields
        }
        tags = tags_initial(record) if keeps_tags(self.model) else None
        if tags is not None and "tags" in form.base_fields:
            initial["tags"] = tags

        return form_with_initial(form, initial)

    def save_model(self, request, obj, form, change):
        version_id = getattr(request, "_history_revert_version", None)
        if version_id is not None and obj.pk is not None:
            current = type(obj)._default_manager.get(pk=obj.pk)
            keep_as_now(obj, current)
            obj._change_reason = f"Reverted to version {version_id}"
            super().save_model(request, obj, form, change)
            self.after_revert(request, obj, current)
            return
        super().save_model(request, obj, form, change)

    def after_revert(self, request, obj, before) -> None:
        """Hook for the review workflow: what a revert does to the item's state.

        "A revert of something public goes back through review unless an editor does it."
        Until the workflow's states exist (review states being built separately), a
        revert keeps the state the item had before it, public or not; the workflow
        overrides this to send a curator's revert of a public item back to review.
        """
        self.message_user(
            request,
            f"Reverted “{obj}” to an earlier version; its state stays "
            f"“{obj.get_status_display() if hasattr(obj, 'get_status_display') else 'as it was'}”.",
            messages.SUCCESS,
        )


def form_with_initial(form, initial: dict):
    """``form`` showing ``initial`` over the instance's own values (bound or not)."""

    class WithInitial(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial.update(initial)

    WithInitial.__name__ = form.__name__
    return WithInitial


def keep_as_now(obj, current) -> None:
    """On ``obj`` (an old version about to be saved), put back what a revert never changes:
    fields history does not keep (a report's PDF text) and the state fields."""
    tracked = set(tracked_field_names(type(obj)))
    state = STATE_FIELDS if isinstance(obj, Publishable) else ()
    if hasattr(type(obj), "workflow_field"):
        state = (*state, workflow_field(obj))
    for field in type(obj)._meta.concrete_fields:
        if field.name not in tracked or field.name in state or field.name in DECISION_FIELDS:
            setattr(obj, field.attname, getattr(current, field.attname))
