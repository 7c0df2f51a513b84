"""The console page's cards after a chat ended: converting without a reload (JSON), for a
while after the end, once; dismissing the card for good."""

from datetime import timedelta

import pytest
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept, chat_end
from livechat.tests.helpers import open_chat
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def ended(agent, user, minutes_ago=0, name="Sylwia"):
    now = timezone.now() - timedelta(minutes=minutes_ago)
    chat = open_chat(name, session_key=f"s-{name}-{minutes_ago}", user=user, now=now)
    chat = chat_accept(chat_id=chat.pk, agent=agent, now=now).chat
    chat_end(chat=chat, by="Sylwia", now=now)
    return chat


def cards(client):
    return [card["chat"] for card in client.get("/chat/console/").context["config"]["cards"]]


def test_a_chat_ended_lately_keeps_its_card_and_can_become_a_ticket(client, agent, silver):
    chat = ended(agent, silver, minutes_ago=5)
    old = ended(agent, silver, minutes_ago=31, name="Old")
    client.force_login(agent)
    assert cards(client) == [str(chat.pk)]
    response = client.post(f"/chat/{chat.pk}/ticket/", **JSON)
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert response.json() == {
        "reference": ticket.reference,
        "url": f"/admin/tickets/ticket/{ticket.pk}/change/",
        "message": f"Ticket {ticket.reference} created from the chat with Sylwia.",
    }
    chat.refresh_from_db()
    assert (chat.ticket, chat.state) == (ticket, "ended")
    assert chat.messages.last().body.startswith(f"This chat is now ticket {ticket.reference}.")
    again = client.post(f"/chat/{chat.pk}/ticket/", **JSON)
    assert again.status_code == 409  # once
    assert client.post(f"/chat/{old.pk}/ticket/", **JSON).status_code == 409  # too late
    assert Ticket.objects.count() == 1


def test_the_active_chats_come_before_the_ended_ones(client, agent, silver):
    now = timezone.now()
    first = ended(agent, silver, minutes_ago=3, name="First")
    active = open_chat("Active", session_key="s-active", now=now - timedelta(minutes=2))
    chat_accept(chat_id=active.pk, agent=agent, now=now - timedelta(minutes=2))
    last = ended(agent, silver, minutes_ago=1, name="Last")
    client.force_login(agent)
    assert cards(client) == [str(active.pk), str(first.pk), str(last.pk)]


def test_a_refused_convert_says_why_in_json(client, agent):
    chat = ended(agent, None)
    client.force_login(agent)
    response = client.post(f"/chat/{chat.pk}/ticket/", **JSON)
    assert response.status_code == 409
    assert "not signed in" in response.json()["error"]


def test_a_dismissed_card_stays_off_the_console(client, agent, silver, make_agent):
    chat = ended(agent, silver)
    active = open_chat("Active", session_key="s-active", now=timezone.now())
    chat_accept(chat_id=active.pk, agent=agent, now=timezone.now())
    client.force_login(agent)
    assert client.post(f"/chat/{active.pk}/dismiss/").status_code == 409
    assert client.post(f"/chat/{chat.pk}/dismiss/").status_code == 204
    assert cards(client) == [str(active.pk)]
    client.force_login(agent)  # another session: still dismissed
    assert cards(client) == [str(active.pk)]
    client.force_login(make_agent("blake"))
    assert client.post(f"/chat/{chat.pk}/dismiss/").status_code == 404
    assert Chat.objects.get(pk=chat.pk).dismissed
