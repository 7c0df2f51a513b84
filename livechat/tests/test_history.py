"""A signed-in member's past chats, their transcripts, and the transcript e-mailed at the end."""

import pytest
from django.core import mail
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept, chat_end, chat_say, chat_to_ticket
from livechat.tests.helpers import at, open_chat
from livechat.transcripts import transcript_send

pytestmark = pytest.mark.django_db


def talk(member, agent, *, question="My invoice is missing", language="en", now=None):
    now = now or timezone.now()
    chat = open_chat(member.username, user=member, language=language, question=question, now=now)
    chat = chat_accept(chat_id=chat.pk, agent=agent, now=now).chat
    chat_say(chat=chat, author="agent", name="Alex", body="Let me look", client_id="", now=now)
    return chat


def test_a_member_sees_their_past_chats_with_agent_state_and_ticket(client, silver, agent):
    ended = talk(silver, agent, question="Old question about invoices")
    chat_end(chat=ended, by="Alex", now=timezone.now())
    converted = talk(silver, agent, question="Order page error 500")
    ticket, _ = chat_to_ticket(chat=converted, agent=agent, now=timezone.now())
    client.force_login(silver)
    page = client.get("/chat/history/").content.decode()
    assert page.index("Order page error 500") < page.index("Old question about invoices")
    assert page.count("with Alex") == 2
    assert f'<a href="/tech-issues/{ticket.reference}/">{ticket.reference}</a>' in page
    assert f'href="/chat/{ended.pk}/transcript/"' in page
    assert page.count(">Ended<") == 2


def test_the_history_shows_only_the_members_own_chats(client, silver, diamond, agent):
    talk(diamond, agent, question="Diamond's secret question")
    mine = talk(silver, agent)
    client.force_login(silver)
    assert "Diamond&#x27;s secret question" not in client.get("/chat/history/").content.decode()
    other = Chat.objects.get(user=diamond)
    assert client.get(f"/chat/{other.pk}/transcript/").status_code == 404
    assert client.get(f"/chat/{mine.pk}/transcript/").status_code == 200


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/chat/history/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_transcript_is_read_only_and_in_the_readers_language(client, silver, agent):
    chat = talk(silver, agent)
    ticket, _ = chat_to_ticket(chat=chat, agent=agent, now=timezone.now())
    client.force_login(silver)
    client.cookies["django_language"] = "pl"
    page = client.get(f"/chat/{chat.pk}/transcript/").content.decode()
    assert "Alex dołącza do czatu." in page
    assert f'<a href="/tech-issues/{ticket.reference}/">Ten czat jest teraz zgłoszeniem' in page
    assert "<textarea" not in page
    assert "<form" not in page.split("<main", 1)[1]


def test_an_address_in_the_transcript_is_a_link(client, silver, agent):
    chat = talk(silver, agent)
    body = "Try https://help.example.com/reset <i>now</i>"
    chat_say(chat=chat, author="agent", name="Alex", body=body, client_id="", now=timezone.now())
    client.force_login(silver)
    page = client.get(f"/chat/{chat.pk}/transcript/").content.decode()
    link = (
        '<a href="https://help.example.com/reset" rel="nofollow">https://help.example.com/reset</a>'
    )
    assert f"Try {link} &lt;i&gt;now&lt;/i&gt;" in page


def test_the_transcript_is_emailed_in_the_members_language_when_the_chat_ends(
    silver, agent, django_capture_on_commit_callbacks
):
    silver.profile.preferred_language = "pl"
    silver.profile.save()
    chat = talk(silver, agent)
    with django_capture_on_commit_callbacks(execute=True):
        chat_end(chat=chat, by="Alex", now=timezone.now())
    [email] = mail.outbox
    assert email.to == [silver.email]
    assert email.subject.startswith("Twój czat z\u00a0zespołem pomocy technicznej")
    assert "Alex: Let me look" in email.body
    assert "Alex kończy czat." in email.body
    assert "http://127.0.0.1:8000/chat/history/" in email.body
    [rate] = [line for line in email.body.splitlines() if "/rate/" in line]
    assert rate.startswith("http://127.0.0.1:8000/rate/")
    chat.refresh_from_db()
    assert chat.transcript_sent_at is not None
    assert transcript_send(chat.pk) is False  # once only
    assert len(mail.outbox) == 1


def test_a_visitor_gets_it_at_the_address_they_gave(agent, django_capture_on_commit_callbacks):
    chat = open_chat("Vic", now=timezone.now())
    chat = chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now()).chat
    with django_capture_on_commit_callbacks(execute=True):
        chat_end(chat=chat, by="Vic", now=timezone.now())
    [email] = mail.outbox
    assert email.to == ["vic@example.com"]
    assert "/chat/history/" not in email.body
    assert "Vic ended the chat." in email.body
    assert "/rate/" in email.body  # a visitor rates the help from the e-mail too


def test_a_converted_chat_sends_the_ticket_link(silver, agent, django_capture_on_commit_callbacks):
    chat = talk(silver, agent)
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = chat_to_ticket(chat=chat, agent=agent, now=timezone.now())
    transcript = next(m for m in mail.outbox if m.to == [silver.email] and "transcript" in m.body)
    assert f"http://127.0.0.1:8000/tech-issues/{ticket.reference}/" in transcript.body
    assert Chat.objects.get(pk=chat.pk).ticket == ticket


def test_a_chat_that_never_began_sends_nothing(django_capture_on_commit_callbacks):
    chat = open_chat("Vic", now=at(0))
    with django_capture_on_commit_callbacks(execute=True):
        chat_end(chat=chat, by="Vic", now=at(5))
    assert mail.outbox == []
    assert Chat.objects.get(pk=chat.pk).transcript_sent_at is None
