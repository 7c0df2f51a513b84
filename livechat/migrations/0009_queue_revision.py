from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("livechat", "0008_durations_in_seconds"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("revision", models.BigIntegerField(default=0)),
            ],
        ),
    ]
