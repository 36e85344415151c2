"""The Curators group holds every permission of the curated apps, and never one over accounts.

Migration 0003 made the group once; models added since get their permissions into it after
each migrate (publishing/curators.py), so curators can always reach what the admin shows.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from publishing.curators import CURATORS_GROUP, PUBLISH_PERMISSION, grant_curator_permissions
from reports.models import Report

pytestmark = pytest.mark.django_db


def curators_permissions() -> set[str]:
    group = Group.objects.get(name=CURATORS_GROUP)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def curated_app_permissions() -> set[str]:
    """Every permission of the curated apps but the editors' own (publishing.workflow)."""
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(
            content_type__app_label__in=settings.CURATED_APPS
        ).select_related("content_type")
    } - {PUBLISH_PERMISSION}


def test_after_migrate_the_group_holds_every_curated_permission_and_no_other():
    assert curators_permissions() == curated_app_permissions()
    # Including models added by migrations after the group was made.
    assert "involvement.view_ratelimitbucket" in curators_permissions()
    assert not any(name.startswith("auth.") for name in curators_permissions())


def test_migrate_restores_a_curated_permission_missing_from_the_group():
    group = Group.objects.get(name=CURATORS_GROUP)
    group.permissions.remove(Permission.objects.get(codename="delete_report"))
    # As a model added in a later release would bring: a permission the group never had.
    new = Permission.objects.create(
        codename="feature_report",
        name="Can feature report",
        content_type=ContentType.objects.get_for_model(Report),
    )

    call_command("migrate", verbosity=0)

    assert {"reports.delete_report", "reports.feature_report"} <= curators_permissions()
    assert curators_permissions() == curated_app_permissions()
    assert group.permissions.filter(pk=new.pk).exists()


def test_migrate_never_grants_an_auth_permission():
    Group.objects.get(name=CURATORS_GROUP).permissions.clear()

    call_command("migrate", verbosity=0)
    granted_directly = grant_curator_permissions(["auth", "contenttypes", "sessions"])

    assert granted_directly == 0
    assert curators_permissions() == curated_app_permissions()
    assert not Group.objects.filter(permissions__content_type__app_label="auth").exists()


def test_granting_is_idempotent_and_leaves_a_deliberate_extra_permission_alone():
    group = Group.objects.get(name=CURATORS_GROUP)
    extra = Permission.objects.get(content_type__app_label="admin", codename="view_logentry")
    group.permissions.add(extra)

    assert grant_curator_permissions() == 0
    call_command("migrate", verbosity=0)

    assert curators_permissions() == curated_app_permissions() | {"admin.view_logentry"}


def test_a_deleted_group_comes_back_with_its_permissions():
    Group.objects.filter(name=CURATORS_GROUP).delete()

    call_command("migrate", verbosity=0)

    assert curators_permissions() == curated_app_permissions()
