from django.db import migrations

from portal.agents import grant_agent_permissions


def create_support_agents(apps, schema_editor):
    # Agents look members up (rank, member ID) while they work a ticket or a chat.
    grant_agent_permissions(apps, "auth", ["view_user"])
    grant_agent_permissions(apps, "portal", ["view_profile"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_support_agents, migrations.RunPython.noop)]
