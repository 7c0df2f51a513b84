from django.db import migrations

from portal.agents import grant_agent_permissions

# The console's former "Ask to file a ticket" button, as a reply. The English text never
# says the chat is English only: an English speaker is asked to file a ticket for what
# needs more than a chat, a Polish speaker is told why in Polish, then in English.
ASK_TO_FILE_A_TICKET = {
    "title": "Ask to file a ticket",
    "shortcut": "ticket",
    "body_en": (
        "{first_name}, this needs a closer look than a chat allows. Please submit a tech "
        "issue with the steps that led to the error and any screenshots; the form is ready "
        "for you here: {ticket_form}\nOur team will answer you there."
    ),
    "body_pl": (
        "{first_name}, ten czat prowadzimy tylko po angielsku. Zgłoś, proszę, problem "
        "techniczny po polsku, opisz kroki, które doprowadziły do błędu, i dołącz zrzuty "
        "ekranu. Formularz czeka tutaj: {ticket_form}\nNasz zespół odpowie Ci w zgłoszeniu.\n\n"
        "(This chat is in English only. Please submit a tech issue in your own language; "
        "our team will answer you there.)"
    ),
}


def seed(apps, schema_editor):
    grant_agent_permissions(
        apps,
        "replies",
        ["view_cannedreply", "add_cannedreply", "change_cannedreply", "delete_cannedreply"],
    )
    CannedReply = apps.get_model("replies", "CannedReply")
    if not CannedReply.objects.filter(shortcut="ticket", owner__isnull=True).exists():
        CannedReply.objects.create(**ASK_TO_FILE_A_TICKET)


class Migration(migrations.Migration):
    dependencies = [
        ("replies", "0001_canned_replies"),
        ("portal", "0002_support_agents_group"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
