"""The Curators group: every permission of the curated apps, never those of user accounts.

Which apps are curated is a setting (``CURATED_APPS``), so this bottom app names none
of the apps above it.
"""

import sys

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import post_migrate

CURATORS_GROUP = "Curators"


def curated_apps() -> tuple[str, ...]:
    # "auth" never: curators must not manage accounts, whatever the setting says.
    return tuple(label for label in settings.CURATED_APPS if label != "auth")


def grant_curator_permissions(
    app_labels=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps
) -> int:
    """Give the Curators group every permission of the curated apps it lacks; return how many.

    Only adds: a permission of any other app is never granted, and none is taken away.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth is not installed or not migrated yet
        return 0
    if not router.allow_migrate_model(using, Permission):
        return 0
    curated = curated_apps()
    labels = [label for label in (app_labels or curated) if label in curated]
    group, _ = Group.objects.using(using).get_or_create(name=CURATORS_GROUP)
    missing = list(
        Permission.objects.using(using)
        .filter(content_type__app_label__in=labels)
        .exclude(group=group)
        .values_list("pk", flat=True)
    )
    group.permissions.add(*missing)
    return len(missing)


def _grant_after_migrate(sender, app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    # Sent once per app, just after auth has made that app's permissions: models a later
    # migration adds reach the group here, which the group's first migration alone never would.
    if app_config.label not in curated_apps():
        return
    granted = grant_curator_permissions([app_config.label], using=using, apps=apps)
    if granted and kwargs.get("verbosity", 1) >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(
            f"Gave the {CURATORS_GROUP} group {granted} {app_config.label} permission(s).\n"
        )


def connect_signals() -> None:
    post_migrate.connect(_grant_after_migrate, dispatch_uid="curators-grant-permissions")
