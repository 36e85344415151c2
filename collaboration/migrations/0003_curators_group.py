"""Create the "Curators" group: edit all content and handle registrations, no user admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_APPS = ("collaboration", "reports", "involvement", "taggit")


def create_curators(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=CURATED_APPS)
    )


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("collaboration", "0002_initial"),
        ("reports", "0001_initial"),
        ("involvement", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_curators, remove_curators)]
