"""Before typing, the pre-chat form says whether agents are available and the wait; with
nobody to chat, the question is left as an offline message that agents answer by e-mail."""

from datetime import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept
from livechat.tests.helpers import open_chat
from livechat.waiting import agent_seen, estimate_wait
from portal.hours.models import OpeningWindow, SupportHours

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Vic",
    "member_id": "",
    "email": "vic@example.com",
    "question": "I cannot sign in since yesterday",
}


@pytest.fixture
def closed():
    """Support limited to hours, none of which is now (a window on no day at all)."""
    cache.clear()
    hours = SupportHours.objects.create(limited=True, time_zone="Europe/Warsaw")
    weekday = (timezone.now().weekday() + 3) % 7  # never today, nor tomorrow
    OpeningWindow.objects.create(hours=hours, weekday=weekday, opens=time(9), closes=time(17))
    yield hours
    cache.clear()


def test_it_says_agents_are_available_and_the_queues_own_wait(client, agent, make_agent):
    now = timezone.now()
    agent_seen(agent, now)
    for n in range(3):  # the agent's three slots are taken
        chat = open_chat(f"Held{n}", now=now)
        chat_accept(chat_id=chat.pk, agent=agent, now=now)
    open_chat("Ahead", now=now)
    page = client.get("/chat/").content.decode()
    assert "Agents are available now" in page
    minutes = -(-estimate_wait(2, timezone.now()) // 60)  # the place a new chat would take
    assert minutes == 4
    assert f"Current wait: about {minutes} minutes." in page
    assert 'value="message"' not in page


def test_with_nobody_online_the_member_may_wait_or_leave_a_message(client):
    page = client.get("/chat/").content.decode()
    assert "No agent is available right now" in page
    assert ">Start chat</button>" in page
    assert 'name="action" value="message">Leave a message instead<' in page
    response = client.post("/chat/", {**FORM, "action": "message"}, follow=True)
    chat = Chat.objects.get()
    assert chat.state == "offline"
    assert list(Chat.objects.waiting(timezone.now())) == []
    assert "An agent will answer by e-mail at vic@example.com." in response.content.decode()


def test_outside_hours_only_a_message_can_be_left(client, closed):
    page = client.get("/chat/").content.decode()
    assert "Tech Support Chat is closed now" in page
    assert "The chat opens again on" in page
    assert "Support hours (Europe/Warsaw)" in page
    assert ">Start chat</button>" not in page
    response = client.post("/chat/", FORM)  # even without the message button
    chat = Chat.objects.get()
    assert (chat.state, response.url) == ("offline", f"/chat/{chat.pk}/")
    assert "Return to your chat" not in client.get("/chat/").content.decode()


def test_a_member_past_the_gate_is_offered_the_ticket_too(client, silver, premier):
    client.force_login(silver)
    page = client.post("/chat/", {**FORM, "action": "message"}, follow=True)
    ticket_url = page.context["ticket_url"]
    assert ticket_url.startswith("/tech-issues/new/?draft=")
    assert client.get(ticket_url).context["form"].initial["description"] == FORM["question"]
    below = Client()
    below.force_login(premier)
    assert (
        below.post("/chat/", {**FORM, "action": "message"}, follow=True).context["ticket_url"] == ""
    )


def test_an_agent_answers_from_the_console_by_email(
    client, agent, silver, django_capture_on_commit_callbacks
):
    silver.profile.preferred_language = "pl"
    silver.profile.save()
    member = Client()
    member.force_login(silver)
    member.post("/chat/", {**FORM, "action": "message"})
    chat = Chat.objects.get()
    client.force_login(agent)
    assert "Offline messages: 1 waits for an answer" in client.get("/chat/console/").text
    listing = client.get("/chat/console/messages/").content.decode()
    assert FORM["question"] in listing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/chat/{chat.pk}/answer/", {"body": "Reset your password from the link."})
    chat.refresh_from_db()
    assert (chat.state, chat.agent) == ("answered", agent)
    [email] = [m for m in mail.outbox if m.to == [silver.email]]
    assert email.subject.startswith("Zespół pomocy technicznej odpowiedział")
    assert FORM["question"] in email.body
    assert "Alex: Reset your password from the link." in email.body
    assert chat.transcript_sent_at is not None
    again = client.post(f"/chat/{chat.pk}/answer/", {"body": "Twice"})
    assert again.status_code == 404
    assert "No offline messages" in client.get("/chat/console/messages/").content.decode()
    assert "Twoja wiadomość otrzymała odpowiedź" in member.get(f"/chat/{chat.pk}/").content.decode()


def test_the_console_says_when_no_offline_message_waits(client, agent):
    client.force_login(agent)
    assert "Offline messages: none waiting</a>" in client.get("/chat/console/").text
    client.cookies["django_language"] = "pl"
    assert "Wiadomości pozostawione: żadna nie czeka</a>" in client.get("/chat/console/").text


def test_members_cannot_see_or_answer_offline_messages(client, silver):
    Client().post("/chat/", {**FORM, "action": "message"})
    client.force_login(silver)
    assert client.get("/chat/console/messages/").status_code == 403
    chat = Chat.objects.get()
    assert client.post(f"/chat/{chat.pk}/answer/", {"body": "x"}).status_code == 403
