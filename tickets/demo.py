"""Demo tickets for `manage.py seed_demo` (the README's demo accounts), made through the same
services as the pages, so their threads and statuses are what members and agents make."""

from django.contrib.auth.models import User

from tickets.models import ServiceLevel, Status, Ticket
from tickets.services import (
    ticket_agent_post,
    ticket_assign,
    ticket_member_reply,
    ticket_set_status,
    ticket_submit,
)

# member, language, summary, description, then what happens: a list of (who, action, text)
DEMO_TICKETS = [
    (
        "silver",
        "pl",
        "Nie można przetworzyć zamówienia",
        "Po kliknięciu „Zamów” w koszyku pojawia się komunikat „Błąd 500”. "
        "Próbowałam w Chrome i w Firefoksie.",
        [("agent", "reply", "Dzień dobry, czy może Pani podać numer zamówienia z koszyka?")],
    ),
    (
        "silver",
        "pl",
        "Nie mogę zmienić adresu dostawy",
        "W ustawieniach konta przycisk „Zapisz” jest nieaktywny.",
        [
            ("agent", "reply", "Prosimy wyczyścić pamięć podręczną przeglądarki."),
            ("silver", "answer", "Pomogło, dziękuję!"),
            ("agent", "resolve", ""),
        ],
    ),
    (
        "diamond",
        "en",
        "Invoice PDF does not download",
        "Clicking 'Download invoice' on my order history opens an empty tab.",
        [("agent", "assign", ""), ("agent", "note", "Reproduced on staging, see the PDF job.")],
    ),
    (
        "diamond",
        "de",
        "Passwort zurücksetzen funktioniert nicht",
        "Die E-Mail zum Zurücksetzen kommt nicht an.",
        [],
    ),
]


def seed_tickets(people: dict[str, User]) -> list[Ticket]:
    """Create the demo tickets that do not exist yet (by member and summary), under a
    service level for all languages (a first answer within 4 hours, resolution in 2 days)."""
    ServiceLevel.objects.get_or_create(
        language="", defaults={"first_response_minutes": 240, "resolution_minutes": 2880}
    )
    made = []
    for username, language, summary, description, steps in DEMO_TICKETS:
        member = people[username]
        if Ticket.objects.filter(member=member, summary=summary).exists():
            continue
        ticket = ticket_submit(
            member=member, language=language, summary=summary, description=description
        )
        for who, action, text in steps:
            _act(ticket, people[who], action, text)
        made.append(ticket)
    return made


def _act(ticket: Ticket, person: User, action: str, text: str) -> None:
    if action == "reply":
        ticket_agent_post(ticket=ticket, agent=person, body=text, internal=False)
    elif action == "note":
        ticket_agent_post(ticket=ticket, agent=person, body=text, internal=True)
    elif action == "answer":
        ticket_member_reply(ticket=ticket, member=person, body=text)
    elif action == "assign":
        ticket_assign(ticket=ticket, assignee=person, by=person)
    elif action == "resolve":
        ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=person)
