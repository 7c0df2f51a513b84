"""Rate limits (portal/limits.py): over a limit the same form comes back with a clear,
translated message and every value typed, status 429, and nothing is created."""

import django_ratelimit.core
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_end
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

CHAT = {"name": "Vic", "member_id": "42", "email": "vic@example.com", "question": "I cannot log in"}


@pytest.fixture
def limits(settings, monkeypatch):
    # django-ratelimit counts in fixed windows (of a minute, an hour): a test crossing an
    # edge would start counting again. One window for the whole test.
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: 0)
    settings.RATE_LIMIT_CHATS_PER_SESSION = "2/h"
    settings.RATE_LIMIT_CHATS_PER_ADDRESS = "3/h"
    settings.RATE_LIMIT_TICKETS_PER_MEMBER = "2/h"
    settings.RATE_LIMIT_REPLIES_PER_MEMBER = "2/m"


def new_ticket(client, n):
    data = {"language": "en", "summary": f"Kept summary {n}", "description": f"Kept text {n}"}
    return client.post(reverse("tickets:new"), data)


def test_tickets_per_member_per_hour(client, silver, diamond, limits):
    client.force_login(silver)
    assert [new_ticket(client, n).status_code for n in range(2)] == [302, 302]
    refused = new_ticket(client, 3)
    assert refused.status_code == 429
    assert "You have submitted too many technical issues in the last hour." in refused.text
    assert 'value="Kept summary 3"' in refused.text
    # Nothing typed is wrong: the page must not ask to correct fields.
    assert "Please correct the errors below." not in refused.text
    assert "Kept text 3" in refused.text
    assert Ticket.objects.count() == 2
    client.force_login(diamond)  # another member has a count of their own
    assert new_ticket(client, 4).status_code == 302


def test_a_form_sent_back_for_a_typo_does_not_count(client, silver, limits):
    client.force_login(silver)
    for _ in range(5):
        refused = client.post(reverse("tickets:new"), {"language": "en"})
        assert refused.status_code == 400
        assert "Please correct the errors below." in refused.text
    assert new_ticket(client, 1).status_code == 302


def test_replies_per_minute(client, silver, limits):
    client.force_login(silver)
    ticket = Ticket.objects.create(member=silver, language="en", summary="Slow down")
    codes = [client.post(ticket.get_absolute_url(), {"body": f"r{n}"}).status_code for n in (1, 2)]
    assert codes == [302, 302]
    refused = client.post(ticket.get_absolute_url(), {"body": "Typed reply, kept"})
    assert refused.status_code == 429
    assert "You are sending replies too fast." in refused.text
    assert "Typed reply, kept" in refused.text
    assert Message.objects.filter(ticket=ticket).count() == 2


def end_the_chat_of(response):
    """The member ends the chat the form led to (a chat still open would take them back)."""
    chat = Chat.objects.get(pk=response.url.strip("/").rsplit("/", 1)[-1])
    chat_end(chat=chat, by=chat.name, now=timezone.now())


def test_new_chats_per_session(client, limits):
    for _ in range(2):
        started = client.post("/chat/", CHAT)
        assert started.status_code == 302
        end_the_chat_of(started)
    refused = client.post("/chat/", {**CHAT, "question": "Third time, kept"})
    assert refused.status_code == 429
    assert "You have started too many chats in a short time." in refused.text
    assert "Third time, kept" in refused.text
    assert 'value="42"' in refused.text
    assert Chat.objects.count() == 2


def test_new_chats_per_address_whatever_the_session_or_forwarded_for(limits):
    """A script that drops its cookie, or sets X-Forwarded-For, is still one address."""
    codes = [
        Client(REMOTE_ADDR="203.0.113.9").post("/chat/", CHAT, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        for n in range(4)
    ]
    assert [r.status_code for r in codes] == [302, 302, 302, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").post("/chat/", CHAT).status_code == 302


def test_the_message_is_translated(client, silver, limits):
    client.force_login(silver)
    client.cookies["django_language"] = "pl"
    for n in range(3):
        refused = new_ticket(client, n)
    assert refused.status_code == 429
    assert (
        "Wysłano zbyt wiele zgłoszeń problemów technicznych w\u00a0ciągu ostatniej godziny."
        in refused.text
    )


def test_the_limits_are_settings_with_sensible_defaults():
    from django.conf import settings

    assert settings.RATE_LIMIT_CHATS_PER_SESSION == "5/h"
    assert settings.RATE_LIMIT_CHATS_PER_ADDRESS == "30/h"
    assert settings.RATE_LIMIT_TICKETS_PER_MEMBER == "10/h"
    assert settings.RATE_LIMIT_REPLIES_PER_MEMBER == "10/m"
