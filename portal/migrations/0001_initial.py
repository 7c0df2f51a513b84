import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="Profile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rank",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Wellness Advocate"),
                            (2, "Manager"),
                            (3, "Director"),
                            (4, "Executive"),
                            (5, "Elite"),
                            (6, "Premier"),
                            (7, "Silver"),
                            (8, "Gold"),
                            (9, "Platinum"),
                            (10, "Diamond"),
                            (11, "Blue Diamond"),
                            (12, "Presidential Diamond"),
                        ],
                        default=1,
                        verbose_name="rank",
                    ),
                ),
                (
                    "member_id",
                    models.CharField(
                        blank=True, db_index=True, max_length=32, verbose_name="member ID"
                    ),
                ),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("en", "English"), ("pl", "Polski")],
                        default="en",
                        max_length=8,
                        verbose_name="preferred language",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profile",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "member profile", "verbose_name_plural": "member profiles"},
        ),
    ]
