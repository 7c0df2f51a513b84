"""A full-text index of message bodies, for the agents' search on PostgreSQL only (other
databases search by substring, tickets/search.py). Built from search.BODY_VECTOR, so that
the index and the query share one expression."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX_NAME = "tickets_message_body_fts"


def index():
    from tickets.search import BODY_VECTOR

    return GinIndex(BODY_VECTOR, name=INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("tickets", "Message"), index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("tickets", "Message"), index())


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_rating")]
    operations = [migrations.RunPython(create, drop)]
