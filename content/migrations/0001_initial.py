"""SeedRecord, moved here from the collaboration app with its table and rows.

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
                    name="SeedRecord",
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
                        (
                            "model",
                            models.CharField(
                                help_text="Model label, e.g. “reports.report”.", max_length=100
                            ),
                        ),
                        (
                            "key",
                            models.CharField(
                                help_text="The object's natural key in the seed data, e.g. a slug.",
                                max_length=255,
                            ),
                        ),
                        (
                            "object_id",
                            models.PositiveBigIntegerField(
                                help_text="Primary key of the object it stands for."
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("model", "key"), name="seed_record_unique_key"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
