import re

from django.db import migrations

# The English line livechat/handover.py stored before the transfer became an event.
TOOK_OVER = re.compile(r"^(?P<agent>.+) took over the chat\.$", re.S)


def transfers_to_events(apps, schema_editor):
    Message = apps.get_model("livechat", "Message")
    for message in Message.objects.filter(author="system", event="").iterator():
        if match := TOOK_OVER.match(message.body):
            message.event, message.params = "transferred", {"agent": match.group("agent")}
            message.save(update_fields=["event", "params"])


class Migration(migrations.Migration):
    dependencies = [("livechat", "0005_transcript_sent_offline_messages")]

    operations = [migrations.RunPython(transfers_to_events, migrations.RunPython.noop)]
