from django.db import migrations

from portal.agents import grant_agent_permissions


def let_agents_read_transcripts(apps, schema_editor):
    grant_agent_permissions(apps, "livechat", ["view_chat", "view_message"])


class Migration(migrations.Migration):
    dependencies = [
        ("livechat", "0001_initial"),
        ("portal", "0002_support_agents_group"),
    ]

    operations = [migrations.RunPython(let_agents_read_transcripts, migrations.RunPython.noop)]
