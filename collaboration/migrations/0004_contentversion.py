from django.db import migrations, models


def create_row(apps, schema_editor):
    ContentVersion = apps.get_model("collaboration", "ContentVersion")
    ContentVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"version": 1}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0003_curators_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=1)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
