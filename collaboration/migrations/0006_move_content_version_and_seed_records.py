"""ContentVersion moves to the publishing app and SeedRecord to the content app.

Dependencies run one way: the bottom app (publishing) owns the content version every
content app bumps, and the app that loads the seed (content) owns its records. Rows
stay where they are: each table is renamed for its new app, the models leave this
app's state here and enter the new apps' state in their first migrations, and the
content types follow, so permissions granted on them are kept.
"""

from django.db import migrations

MOVES = {"contentversion": "publishing", "seedrecord": "content"}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model, app_label in MOVES.items():
        if types.filter(app_label=app_label, model=model).exists():
            types.filter(app_label="collaboration", model=model).delete()
        else:
            types.filter(app_label="collaboration", model=model).update(app_label=app_label)


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model, app_label in MOVES.items():
        types.filter(app_label=app_label, model=model).update(app_label="collaboration")


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0005_seedrecord"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("ContentVersion", "publishing_contentversion"),
                migrations.AlterModelTable("SeedRecord", "content_seedrecord"),
            ],
            state_operations=[
                migrations.DeleteModel("ContentVersion"),
                migrations.DeleteModel("SeedRecord"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
