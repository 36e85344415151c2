"""Review of curators' edits to published items: propose, then an editor applies or rejects.

A curator's save of a published item does not reach the item: its own fields that
differ from the published version are kept as a ``PendingChange``, as JSON, and the
public keeps seeing the published version. An editor applies the change (a normal save
of the item, so its history, the search index, the page cache and counts follow) or
rejects it; the curator who proposed it may withdraw it. Editors are emailed when a
change first waits, and its curator when it is applied or rejected (``publishing.notify``).

Changing a marking is never held back: re-marking only ever takes an item or its file
off the site (``Marked``), so it applies at once, and the rest of the edit waits.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager

from . import workflow
from .models import PendingChange, Status
from .notify import pending_change_decided_notify_task, pending_change_notify_task

# Applied at once, whoever edits: they only restrict what is public.
TAKE_DOWN_FIELDS = ("marking", "marking_descriptor", "pdf_marking", "pdf_marking_descriptor")


def needs_review(obj, saved_status: str | None, user) -> bool:
    """Whether ``user``'s edit of ``obj`` waits for an editor: it is published, they are not one."""
    return obj.pk is not None and saved_status == Status.PUBLISHED and not workflow.is_editor(user)


def is_tags(field) -> bool:
    return isinstance(field, TaggableManager)


def encode(field, value):
    """A JSON value for ``value`` of ``field``: a form's cleaned value or the item's own."""
    if is_tags(field):
        return sorted(str(getattr(tag, "name", tag)) for tag in value or ())
    if field.many_to_many:
        return sorted(getattr(item, "pk", item) for item in value or ())
    if field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(value, str):
        # Browsers send a text area's lines ended by CR LF; the text as saved has LF.
        value = value.replace("\r\n", "\n")
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def current_value(obj, field):
    if is_tags(field):
        return encode(field, getattr(obj, field.name).names())
    if field.many_to_many:
        return encode(field, getattr(obj, field.name).values_list("pk", flat=True))
    return encode(field, getattr(obj, field.attname))


def own_fields(model, names):
    """The model fields among ``names`` (a form's): what a pending change may hold."""
    fields = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field, as the note for the editor
            continue
        if getattr(field, "editable", True) and not field.primary_key:
            fields.append(field)
    return fields


def differences(obj, cleaned_data) -> dict:
    """The fields of ``cleaned_data`` whose values differ from ``obj`` as saved, encoded."""
    changed = {}
    for field in own_fields(type(obj), cleaned_data):
        if field.name in TAKE_DOWN_FIELDS:
            continue
        proposed = encode(field, cleaned_data[field.name])
        if proposed != current_value(obj, field):
            changed[field.name] = proposed
    return changed


def open_change(obj) -> PendingChange | None:
    return (
        PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
            outcome=PendingChange.Outcome.OPEN,
        )
        .select_related("by")
        .first()
    )


def pending_change_propose(*, obj, cleaned_data: dict, by, note: str = "") -> PendingChange | None:
    """Keep ``by``'s edit of published ``obj`` for review; update the open change if any.

    Returns the open change, or None when the edit left nothing different from the
    published version (an open change is then withdrawn: there is nothing to review).
    """
    changed = differences(obj, cleaned_data)
    with transaction.atomic():
        current = open_change(obj)
        if not changed:
            if current is not None:
                _decide(
                    current, PendingChange.Outcome.WITHDRAWN, by, "Edited back to as published."
                )
            return None
        unchanged = current is not None and current.proposed == changed and current.by == by
        if unchanged and note in ("", current.note):
            # Saved again as it stands (to add a draft row, say): the change, its date and
            # its note stay as they were, so the review page and emails keep telling true.
            return current
        if current is None:
            current = PendingChange(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=obj.pk,
            )
        current.proposed, current.by, current.updated_at = changed, by, timezone.now()
        is_new = current.pk is None
        if note or is_new:
            current.note = note
        current.full_clean()
        current.save()
        if is_new:  # editors hear of a change once; later edits update what they will see
            pending_change_notify_task.enqueue(current.pk)
    return current


def proposed_values(change: PendingChange, model) -> dict:
    """The change's values as a form's initial data would hold them (pks for relations)."""
    values = {}
    for name, value in change.proposed.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since: nothing to apply
            continue
        if is_tags(field) or field.many_to_many or field.is_relation:
            values[name] = value
        else:
            values[name] = field.to_python(value)
    return values


def diff_rows(change: PendingChange, obj) -> list[dict]:
    """Field by field, the published value beside the proposed one."""
    rows = []
    model = type(obj)
    for name, value in proposed_values(change, model).items():
        field = model._meta.get_field(name)
        rows.append(
            {
                "label": str(field.verbose_name),
                "old": _display(field, current_value(obj, field)),
                "new": _display(field, encode(field, value)),
            }
        )
    return rows


def _display(field, value) -> str:
    if value in (None, "", []):
        return "–"
    if is_tags(field):
        return ", ".join(value)
    if field.many_to_many or field.is_relation:
        pks = value if isinstance(value, list) else [value]
        related = field.related_model._default_manager.in_bulk(pks)
        return "; ".join(str(related.get(pk, f"#{pk} (deleted)")) for pk in pks)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _decide(change, outcome, by, note: str = "") -> None:
    change.outcome, change.decided_by, change.decided_at = outcome, by, timezone.now()
    change.decision_note = note
    change.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
    if outcome in (PendingChange.Outcome.APPLIED, PendingChange.Outcome.REJECTED):
        pending_change_decided_notify_task.enqueue(change.pk)  # its curator hears of it


def pending_change_apply(*, change: PendingChange, by, before_save=None, after_save=None) -> None:
    """Save the item with the change's values as ``by`` (an editor); record the decision.

    Raises ValidationError, leaving the item and the change as they were, if the values
    no longer make a valid item (another item took its slug since, say).
    """
    obj = change.item
    if obj is None:
        raise ValidationError("The item this change was for has been deleted.")
    model = type(obj)
    later = {}
    for name, value in proposed_values(change, model).items():
        field = model._meta.get_field(name)
        if is_tags(field) or field.many_to_many:
            later[field] = value
        else:
            setattr(obj, field.attname, value)
    obj.full_clean()
    proposer = change.by.get_username() if change.by else "a former curator"
    when = date_format(timezone.localtime(change.updated_at), "j M Y H:i")
    with transaction.atomic():
        # Links first (the item exists), so the one version the save records has them.
        for field, value in later.items():
            getattr(obj, field.name).set(value)
        obj._history_user = by
        obj._change_reason = f"Change proposed by {proposer} ({when}), applied by an editor"
        if before_save is not None:
            before_save(obj, by)
        obj.save()
        if after_save is not None:
            after_save(obj)
        _decide(change, PendingChange.Outcome.APPLIED, by)


def pending_change_reject(*, change: PendingChange, by, note: str = "") -> None:
    _decide(change, PendingChange.Outcome.REJECTED, by, note)


def last_decision(obj) -> PendingChange | None:
    """The latest applied or rejected change to ``obj``: its curator learns the outcome."""
    decided = (PendingChange.Outcome.APPLIED, PendingChange.Outcome.REJECTED)
    return (
        PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
            outcome__in=decided,
        )
        .select_related("by", "decided_by")
        .order_by("-decided_at", "-pk")
        .first()
    )


def pending_change_withdraw(*, change: PendingChange, by) -> None:
    _decide(change, PendingChange.Outcome.WITHDRAWN, by)
