"""Who may move an item from which workflow state to which, and the record of each move.

Curators edit anything and send it for review; Editors (curators with the
``publishing.publish_content`` permission) also publish, withdraw and return items to
draft. Every route that changes a status (the change form, a list action, a bulk edit,
any POST) asks ``refusal()`` first and calls ``record()`` after, so no route lets a
curator publish and none leaves a move unrecorded.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .curators import EDITORS_GROUP, PUBLISH_PERMISSION  # noqa: F401 (named here too)
from .models import Status, Transition, workflow_field

# The moves anyone who may edit the item may make; all others need an editor.
CURATOR_MOVES = {
    (None, Status.DRAFT),
    (None, Status.IN_REVIEW),
    (Status.DRAFT, Status.IN_REVIEW),
    (Status.IN_REVIEW, Status.DRAFT),
}

NOT_YOURS = (
    "Only an editor can publish, withdraw or return an item to draft. "
    "Send it for review, and an editor will publish it."
)


def is_editor(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def saved_status(obj) -> str | None:
    """The state ``obj`` has in the database now; None if it is not saved."""
    if obj is None or obj.pk is None:
        return None
    states = type(obj)._default_manager.filter(pk=obj.pk)
    return states.values_list(workflow_field(obj), flat=True).first()


def refusal(user, old: str | None, new: str) -> str | None:
    """Why ``user`` may not move an item from ``old`` to ``new``; None if they may."""
    if old == new or is_editor(user):
        return None
    if (old, new) in CURATOR_MOVES:
        return None
    if new == Status.PUBLISHED:
        return "Only an editor can publish. Send it for review, and an editor will publish it."
    if new == Status.WITHDRAWN:
        return "Only an editor can withdraw an item."
    return "Only an editor can make that change of state."


def allowed_targets(user, old: str | None) -> list[str]:
    """The states ``user`` may move an item to from ``old``, itself included."""
    return [value for value in Status.values if refusal(user, old, value) is None]


def check(user, old: str | None, new: str) -> None:
    problem = refusal(user, old, new)
    if problem:
        raise PermissionDenied(problem)


def record(obj, old: str | None, new: str, *, by=None, note: str = "") -> Transition | None:
    """Record that ``by`` moved ``obj`` from ``old`` to ``new`` now (no-op if unchanged)."""
    if old == new:
        return None
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        from_status=old or "",
        to_status=new,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )


def move(obj, new: str, *, by, note: str = "") -> bool:
    """Move ``obj`` to ``new`` as ``by``, saved and recorded in one transaction.

    Raises PermissionDenied if ``by`` may not. Returns whether anything changed.
    """
    field = workflow_field(obj)
    old = getattr(obj, field)
    if old == new:
        return False
    check(by, old, new)
    with transaction.atomic():
        setattr(obj, field, new)
        obj.save(update_fields=[field, "updated_at"])
        record(obj, old, new, by=by, note=note)
    return True


def history(obj):
    """The moves of ``obj``, newest first, with who made them."""
    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    ).select_related("by")
