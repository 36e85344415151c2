"""The Curators and Editors groups.

Curators hold every permission of the curated apps except the editors' own (publishing,
withdrawing: ``publishing.workflow``), never those of user accounts. Editors hold the
same and the editors' permissions too. Which apps are curated is a setting
(``CURATED_APPS``), so this bottom app names none of the apps above it.
"""

import sys

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import Q
from django.db.models.signals import post_migrate

CURATORS_GROUP = "Curators"
EDITORS_GROUP = "Editors"
PUBLISH_PERMISSION = "publishing.publish_content"
# Permissions only editors hold, as (app label, codename).
EDITOR_PERMISSIONS = (tuple(PUBLISH_PERMISSION.split(".")),)


def curated_apps() -> tuple[str, ...]:
    # "auth" never: curators must not manage accounts, whatever the setting says.
    return tuple(label for label in settings.CURATED_APPS if label != "auth")


def grant_curator_permissions(
    app_labels=None, *, using: str = DEFAULT_DB_ALIAS, apps=global_apps
) -> int:
    """Give the groups every permission of the curated apps they lack; return how many.

    Curators never get the editors' permissions; Editors get those too. Only adds: a
    permission of any other app is never granted, and none is taken away (except an
    editors' permission found in the Curators group, which is removed).
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
    permissions = Permission.objects.using(using)
    editors_only = Q()
    for app_label, codename in EDITOR_PERMISSIONS:
        editors_only |= Q(content_type__app_label=app_label, codename=codename)
    curated = permissions.filter(content_type__app_label__in=labels)
    granted = 0
    curators, _ = Group.objects.using(using).get_or_create(name=CURATORS_GROUP)
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS_GROUP)
    curators.permissions.remove(*permissions.filter(editors_only))
    for group, wanted in (
        (curators, curated.exclude(editors_only)),
        (editors, curated | permissions.filter(editors_only)),
    ):
        missing = list(wanted.exclude(group=group).values_list("pk", flat=True))
        group.permissions.add(*missing)
        granted += len(missing)
    return granted


def _grant_after_migrate(sender, app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    # Sent once per app, just after auth has made that app's permissions: models a later
    # migration adds reach the group here, which the group's first migration alone never would.
    if app_config.label not in curated_apps():
        return
    granted = grant_curator_permissions([app_config.label], using=using, apps=apps)
    if granted and kwargs.get("verbosity", 1) >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(
            f"Gave the {CURATORS_GROUP} and {EDITORS_GROUP} groups {granted} "
            f"{app_config.label} permission(s).\n"
        )


def connect_signals() -> None:
    post_migrate.connect(_grant_after_migrate, dispatch_uid="curators-grant-permissions")
