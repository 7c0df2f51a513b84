"""GET /canned-replies/ (the picker's list, rendered for a chat or a ticket) and
POST /canned-replies/<id>/used/ (the count)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from livechat.services import chat_accept
from livechat.tests.helpers import open_chat
from portal.replies.models import CannedReply
from tickets.services import ticket_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting(db):
    return CannedReply.objects.create(
        title="Greeting",
        shortcut="hi",
        body_en="Hello {first_name}, {agent} here.",
        body_pl="Dzień dobry, {first_name}! Tu {agent}.",
    )


def held_chat(agent, **extra):
    chat = open_chat(now=timezone.now(), **extra)
    return chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now()).chat


def replies(client, **query):
    response = client.get("/canned-replies/", query)
    assert response.status_code == 200
    return {reply["title"]: reply for reply in response.json()["replies"]}


def test_it_is_for_agents_only(client, silver, greeting):
    assert client.get("/canned-replies/").status_code == 302  # to sign in
    client.force_login(silver)
    assert client.get("/canned-replies/").status_code == 403
    assert client.post(f"/canned-replies/{greeting.pk}/used/").status_code == 403


def test_it_answers_a_polish_member_in_polish(client, agent, silver, greeting):
    chat = held_chat(agent, name="Sylwia K", user=silver, language="pl")
    client.force_login(agent)
    reply = replies(client, chat=chat.pk)["Greeting"]
    assert (reply["language"], reply["body"]) == ("pl", "Dzień dobry, Sylwia! Tu Alex.")
    assert reply["shortcut"] == "hi"


def test_it_answers_in_english_when_the_language_has_no_body(client, agent, greeting):
    greeting.body_pl = ""
    greeting.save()
    chat = held_chat(agent, name="Vic Visitor", language="pl")
    client.force_login(agent)
    reply = replies(client, chat=chat.pk)["Greeting"]
    assert (reply["language"], reply["body"]) == ("en", "Hello Vic, Alex here.")


def test_it_fills_in_a_tickets_reference_and_member(client, agent, silver, greeting):
    ticket = ticket_submit(member=silver, language="en", summary="Broken", description="x")
    greeting.body_en = "Hi {first_name}, about {ticket}:"
    greeting.save()
    client.force_login(agent)
    assert replies(client, ticket=ticket.pk)["Greeting"]["body"] == (
        f"Hi Sylwia, about {ticket.reference}:"
    )


def test_another_agents_chat_or_a_bad_id_is_not_found(client, agent, make_agent, greeting):
    chat = held_chat(make_agent("blake"))
    client.force_login(agent)
    for query in ({"chat": chat.pk}, {"chat": "not-a-uuid"}, {"ticket": "x"}, {"ticket": 999}):
        assert client.get("/canned-replies/", query).status_code == 404, query


def test_an_agent_gets_the_shared_replies_and_their_own(client, agent, make_agent, greeting):
    CannedReply.objects.create(title="Mine", body_en="m", owner=agent)
    CannedReply.objects.create(title="Blakes", body_en="b", owner=make_agent("blake"))
    client.force_login(agent)
    assert set(replies(client)) == {"Greeting", "Mine", "Ask to file a ticket"}


def test_using_a_reply_counts_it(client, agent, make_agent, greeting):
    client.force_login(agent)
    for _ in range(2):
        assert client.post(f"/canned-replies/{greeting.pk}/used/").status_code == 204
    greeting.refresh_from_db()
    assert greeting.uses == 2
    theirs = CannedReply.objects.create(title="B", body_en="b", owner=make_agent("blake"))
    assert client.post(f"/canned-replies/{theirs.pk}/used/").status_code == 404
    assert client.get(f"/canned-replies/{greeting.pk}/used/").status_code == 405


def test_ask_to_file_a_ticket_links_the_form_in_the_members_language(client, agent, silver):
    polish = held_chat(agent, name="Sylwia", user=silver, language="pl", question="Błąd 500")
    english = held_chat(agent, name="Eve", session_key="s-eve", language="en")
    client.force_login(agent)
    in_polish = replies(client, chat=polish.pk)["Ask to file a ticket"]
    in_english = replies(client, chat=english.pk)["Ask to file a ticket"]
    assert "możesz pisać po polsku" in in_polish["body"]
    assert "English only" not in in_english["body"]
    assert in_english["body"].startswith("Eve, ")
    link = next(word for word in in_polish["body"].split() if "/tech-issues/new/" in word)
    assert urlparse(link).path == "/tech-issues/new/"
    assert parse_qs(urlparse(link).query) == {"language": ["pl"], "description": ["Błąd 500"]}
    english_link = next(w for w in in_english["body"].split() if "/tech-issues/new/" in w)
    assert parse_qs(urlparse(english_link).query)["language"] == ["en"]


def test_ask_to_file_a_ticket_never_tells_a_polish_reader_the_chat_is_english_only(
    client, agent, silver
):
    # A Polish reader of the portal who chats in English (every queued question passed
    # the English check) gets the Polish text: it must not claim the chat is English only.
    chat = held_chat(agent, name="Sylwia", user=silver, language="pl")
    client.force_login(agent)
    reply = replies(client, chat=chat.pk)["Ask to file a ticket"]
    assert reply["language"] == "pl"
    assert "angielsku" not in reply["body"]
    assert "English" not in reply["body"]
    assert "możesz pisać po polsku" in reply["body"]
    assert "/tech-issues/new/?language=pl" in reply["body"]
