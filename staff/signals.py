"""Who may clear a sign-in lock (superusers, and the Editors group once it exists), and
what a staff sign-in notes in its session at once rather than on the first admin page."""

import time

from django.contrib.auth.signals import user_logged_in
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

# The group of curators who may also publish (the workflow's editors). Made by its own
# migration; until then only superusers clear locks.
EDITORS_GROUP = "Editors"
UNLOCK_PERMISSIONS = ("view_accessattempt", "delete_accessattempt", "view_accessfailurelog")


def grant_unlock_permissions(*, using: str = DEFAULT_DB_ALIAS, apps=None) -> int:
    from django.apps import apps as global_apps

    apps = apps or global_apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return 0
    group = Group.objects.using(using).filter(name=EDITORS_GROUP).first()
    if group is None:
        return 0
    permissions = list(
        Permission.objects.using(using).filter(
            content_type__app_label="axes", codename__in=UNLOCK_PERMISSIONS
        )
    )
    group.permissions.add(*permissions)
    return len(permissions)


def _after_migrate(sender, app_config, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    if app_config.label == "staff":
        grant_unlock_permissions(using=using, apps=apps)


def _on_login(sender, request, user, **kwargs):
    # Noted at sign-in, which writes the session anyway, so admin pages stay a flat
    # number of queries from the first one on (staff/middleware.py reads these).
    from . import middleware, twofactor

    if request is None or not getattr(user, "is_staff", False) or not hasattr(request, "session"):
        return
    request.session[middleware.LAST_SEEN_KEY] = time.time()
    request.session[middleware.NO_DEVICE_KEY] = not twofactor.has_two_factor(user)


def connect_signals() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="staff-grant-unlock-permissions")
    user_logged_in.connect(_on_login, dispatch_uid="staff-note-sign-in")
