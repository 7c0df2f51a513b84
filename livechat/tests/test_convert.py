"""Convert a chat to a ticket, through tickets.services.ticket_submit."""

import pytest
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept, chat_say
from livechat.tests.helpers import open_chat
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_agent_turns_a_silver_members_chat_into_a_ticket(client, agent, silver):
    chat = open_chat(
        "Sylwia", user=silver, language="pl", question="Order page error 500", now=timezone.now()
    )
    chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now())
    chat_say(
        chat=chat,
        author="agent",
        name="Alex",
        body="Which order?",
        client_id="",
        now=timezone.now(),
    )
    client.force_login(agent)
    response = client.post(f"/chat/{chat.pk}/ticket/", follow=True)
    ticket = Ticket.objects.get()
    assert (ticket.member, ticket.language, ticket.summary) == (
        silver,
        "pl",
        "Order page error 500",
    )
    description = ticket.messages.get(kind="member").body
    assert "Sylwia: Order page error 500" in description
    assert "Alex: Which order?" in description
    [message] = response.context["messages"]
    assert str(message) == f"Ticket {ticket.reference} created from the chat with Sylwia."
    chat.refresh_from_db()
    assert chat.state == Chat.State.ENDED
    assert chat.messages.last().body.startswith(f"This chat is now ticket {ticket.reference}.")


def test_a_premier_members_chat_cannot_become_a_ticket(client, agent, premier):
    chat = open_chat("Piotr", user=premier, now=timezone.now())
    chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now())
    client.force_login(agent)
    response = client.post(f"/chat/{chat.pk}/ticket/", follow=True)
    [message] = response.context["messages"]
    assert "rank does not open Technical Issues" in str(message)
    assert not Ticket.objects.exists()


def test_the_ticket_is_the_converting_agents_and_links_to_the_transcript(
    client, agent, silver, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.urls import reverse

    chat = open_chat("Sylwia", user=silver, question="Cart is empty", now=timezone.now())
    chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now())
    chat_say(
        chat=chat, author="agent", name="Alex", body="Let me look", client_id="", now=timezone.now()
    )
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/chat/{chat.pk}/ticket/")
    ticket = Ticket.objects.get()
    assert (ticket.assignee, ticket.status) == (agent, "open")
    # Nobody is told of a "new" ticket its agent made; the member gets the chat's transcript.
    assert [email.to for email in mail.outbox] == [[silver.email]]
    chat.refresh_from_db()
    assert chat.ticket == ticket
    ticket_page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).text
    assert reverse("admin:livechat_chat_change", args=[chat.pk]) in ticket_page
    transcript = client.get(reverse("admin:livechat_chat_change", args=[chat.pk])).text
    assert reverse("admin:tickets_ticket_change", args=[ticket.pk]) in transcript
    assert '<section class="transcript"' in transcript
    assert '<li class="transcript-agent">' in transcript
    assert "Let me look" in transcript
    assert "Alex" in transcript
