from django.db import migrations

# The Polish "Ask to file a ticket" told the member the chat was English only, then said so
# again in English. A chat's language is the language the member reads the portal in, so a
# Polish reader who writes perfect English got it too: "English only", sent to someone
# writing English. The Polish text now says what the English one says, and that the ticket
# may be written in Polish. Only the seeded text is replaced, never an administrator's edit.
OLD_PL = (
    "{first_name}, ten czat prowadzimy tylko po angielsku. Zgłoś, proszę, problem "
    "techniczny po polsku, opisz kroki, które doprowadziły do błędu, i dołącz zrzuty "
    "ekranu. Formularz czeka tutaj: {ticket_form}\nNasz zespół odpowie Ci w zgłoszeniu.\n\n"
    "(This chat is in English only. Please submit a tech issue in your own language; "
    "our team will answer you there.)"
)
NEW_PL = (
    "{first_name}, to wymaga dokładniejszego sprawdzenia, niż pozwala czat. Zgłoś, proszę, "
    "problem techniczny (możesz pisać po polsku): opisz kroki, które doprowadziły do błędu, "
    "i\u00a0dołącz zrzuty ekranu. Formularz czeka tutaj: {ticket_form}\n"
    "Nasz zespół odpowie Ci w\u00a0zgłoszeniu."
)


def replace(apps, old, new):
    CannedReply = apps.get_model("replies", "CannedReply")
    CannedReply.objects.filter(shortcut="ticket", owner__isnull=True, body_pl=old).update(
        body_pl=new
    )


class Migration(migrations.Migration):
    dependencies = [("replies", "0002_agents_and_ask_to_file_a_ticket")]
    operations = [
        migrations.RunPython(
            lambda apps, _: replace(apps, OLD_PL, NEW_PL),
            lambda apps, _: replace(apps, NEW_PL, OLD_PL),
        )
    ]
