"""A member with something of everything: a ticket with a screenshot in the member's
message, one in the agent's reply and one in an internal note, a rating, and a chat with a
transcript. `diamond` gets the same, so that every test can show it stays out."""

from pathlib import Path

import pytest
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept, chat_open, chat_say
from tickets.services import ticket_agent_post
from tickets.tests.conftest import image_file, make_ticket  # noqa: F401  (a fixture)


def media_files(settings) -> list[str]:
    """Every file under MEDIA_ROOT, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def give_data(make_ticket, agent):  # noqa: F811  (the fixture imported above)
    def give(member, word):
        ticket = make_ticket(
            member,
            summary=f"{word} order",
            description=f"{word} clicked",
            screenshots=[image_file(f"{word}.png")],
        )
        ticket_agent_post(
            ticket=ticket,
            agent=agent,
            body=f"Hello {word}",
            internal=False,
            screenshots=[image_file(f"{word}-reply.png")],
        )
        ticket_agent_post(
            ticket=ticket,
            agent=agent,
            body=f"note on {word}",
            internal=True,
            screenshots=[image_file(f"{word}-note.png")],
        )
        now = timezone.now()
        ticket.rating, ticket.rating_comment, ticket.rated_at = 5, f"{word} thanks", now
        ticket.save()
        chat = chat_open(
            name=word,
            email=member.email,
            member_id=member.profile.member_id,
            question=f"{word} cannot log in",
            session_key=f"s-{word}",
            now=now,
            user=member,
        ).chat
        chat_accept(chat_id=chat.pk, agent=agent, now=now)
        chat_say(chat=chat, author="agent", name="Alex", body=f"Hi {word}", client_id="", now=now)
        Chat.objects.filter(pk=chat.pk).update(
            rating=4, rating_comment=f"{word} chat ok", rated_at=now
        )
        return ticket, Chat.objects.get(pk=chat.pk)

    return give
