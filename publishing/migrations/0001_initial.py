"""ContentVersion, moved here from the collaboration app with its table and row.

The table is renamed by collaboration's migration 0006, which this one follows; here
the model only enters this app's state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("collaboration", "0006_move_content_version_and_seed_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveBigIntegerField(default=1)),
                    ],
                ),
            ],
        ),
    ]
