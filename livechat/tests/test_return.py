"""Back to the chat already open: the pre-chat page offers it, a second request leads to it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from livechat.models import Chat
from livechat.services import chat_accept, chat_end

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Vic",
    "member_id": "",
    "email": "vic@example.com",
    "question": "I cannot sign in since yesterday",
}


def test_the_pre_chat_page_offers_the_sessions_open_chat(client):
    client.post("/chat/", FORM)
    chat = Chat.objects.get()
    page = client.get("/chat/").content.decode()
    assert "You have a chat in progress" in page
    assert f'href="/chat/{chat.pk}/">Return to your chat' in page
    assert "Return to your chat" not in Client().get("/chat/").content.decode()


def test_the_pre_chat_page_does_not_contradict_the_open_chat(client):
    """Its room says who is helping; "agents are available" beside it would contradict it."""
    fresh = Client().get("/chat/").content.decode()
    assert 'id="availability"' in fresh
    assert "Live Chat" in fresh
    client.post("/chat/", FORM)
    page = client.get("/chat/").content.decode()
    assert 'id="availability"' not in page
    assert "Enter a few details to start your online chat" not in page
    assert "Something else to ask?" in page
    assert '<button class="btn btn-primary" type="submit">Add to your chat</button>' in page
    assert "Start chat" not in page  # it adds to the open one, as the page says
    assert "Leave a message instead" not in page


def test_a_second_request_leads_back_without_a_second_place_in_the_queue(client):
    first = client.post("/chat/", FORM)
    again = client.post("/chat/", FORM, follow=True)
    chat = Chat.objects.get()
    assert again.redirect_chain == [(first.url, 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "You already have a chat open, so we have brought you back to it."
    ]
    assert list(chat.messages.values_list("body", flat=True)) == [FORM["question"]]


def test_a_new_question_joins_the_open_chat_once(client):
    client.post("/chat/", FORM)
    later = {**FORM, "question": "Also the order page is blank"}
    for _ in range(2):  # a double click sends it twice
        response = client.post("/chat/", later, follow=True)
    chat = Chat.objects.get()
    assert list(chat.messages.values_list("author", "body")) == [
        ("member", FORM["question"]),
        ("member", "Also the order page is blank"),
    ]
    assert "we have added your question" in str(next(iter(response.context["messages"])))


def test_a_signed_in_member_returns_from_another_device(client, silver, agent):
    client.force_login(silver)
    client.post("/chat/", FORM)
    chat = Chat.objects.get()
    chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now())
    phone = Client()
    phone.force_login(silver)
    page = phone.get("/chat/").content.decode()
    assert "You are chatting with Alex." in page
    assert phone.get(f"/chat/{chat.pk}/").status_code == 200
    assert phone.post("/chat/", FORM).url == f"/chat/{chat.pk}/"
    assert Chat.objects.count() == 1


def test_an_ended_or_long_gone_chat_is_not_offered(client, settings):
    client.post("/chat/", FORM)
    chat = Chat.objects.get()
    Chat.objects.filter(pk=chat.pk).update(seen_at=timezone.now() - timedelta(hours=1))
    assert "Return to your chat" not in client.get("/chat/").content.decode()
    second = client.post("/chat/", FORM)
    assert second.url != f"/chat/{chat.pk}/"
    chat_end(chat=Chat.objects.get(pk=second.url.split("/")[2]), by="Vic", now=timezone.now())
    assert "Return to your chat" not in client.get("/chat/").content.decode()


def test_another_member_is_not_offered_someone_elses_chat(client, silver, diamond):
    client.force_login(silver)
    client.post("/chat/", FORM)
    other = Client()
    other.force_login(diamond)
    assert "Return to your chat" not in other.get("/chat/").content.decode()
    assert other.get(f"/chat/{Chat.objects.get().pk}/").status_code == 404
