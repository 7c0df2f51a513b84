from django.db import migrations

from portal.agents import grant_agent_permissions


def grant(apps, schema_editor):
    # Agents work the queue in the admin: read tickets, assign, reply, resolve, close.
    grant_agent_permissions(apps, "tickets", ["view_ticket", "change_ticket"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("portal", "0002_support_agents_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
