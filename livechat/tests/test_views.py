import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from livechat.models import Chat
from livechat.services import chat_accept
from livechat.tests.helpers import open_chat

pytestmark = pytest.mark.django_db

ENGLISH = {
    "name": "Vic",
    "member_id": "",
    "email": "vic@example.com",
    "question": "I cannot sign in since yesterday",
}
POLISH = {**ENGLISH, "question": "Nie mogę się zalogować do portalu od wczoraj"}


def test_it_shows_the_pre_chat_form_of_the_guide_to_visitors(client):
    response = client.get("/chat/")
    assert response.status_code == 200
    for text in (
        "Get support with live chat",
        "Live Chat",
        "Enter a few details to start your online chat below.",
        "What is your name?",
        "Member ID — Optional",
        "Email address",
        "How can we help?",
        'placeholder="Enter your name..."',
        'placeholder="Enter your member ID..."',
        'placeholder="Enter your email address..."',
        'placeholder="Enter your question..."',
    ):
        assert text in response.content.decode()


def test_it_prefills_the_form_for_a_member(client, silver):
    silver.last_name, silver.email = "Srebrna", "sylwia@example.com"
    silver.save()
    client.force_login(silver)
    form = client.get("/chat/").context["form"]
    assert form.initial == {
        "name": "Sylwia Srebrna",
        "member_id": "1000007",
        "email": "sylwia@example.com",
    }


def test_an_english_question_queues_a_chat_owned_by_the_visitors_session(client):
    response = client.post("/chat/", ENGLISH)
    chat = Chat.objects.get()
    assert response.status_code == 302
    assert response.url == f"/chat/{chat.pk}/"
    assert chat.session_key == client.session.session_key
    assert (chat.state, chat.user, chat.question) == ("waiting", None, ENGLISH["question"])
    assert client.get(response.url).status_code == 200


def test_a_members_chat_remembers_the_member_and_language(client, silver):
    silver.profile.preferred_language = "pl"
    silver.profile.save()
    client.force_login(silver)
    client.post("/chat/", {**ENGLISH, "member_id": "1000007"})
    chat = Chat.objects.get()
    assert (chat.user, chat.language, chat.member_id) == (silver, "pl", "1000007")


def test_another_session_cannot_open_the_chat_page(client):
    client.post("/chat/", ENGLISH)
    chat = Chat.objects.get()
    assert Client().get(f"/chat/{chat.pk}/").status_code == 404


def test_a_visitor_who_signs_in_keeps_the_chat(client, silver):
    silver.set_password("silver-secret-5")
    silver.save()
    chat_page = client.post("/chat/", ENGLISH)["Location"]
    key_before = client.session.session_key
    client.post("/accounts/login/", {"username": "silver", "password": "silver-secret-5"})
    assert client.session.session_key != key_before
    assert client.get(chat_page).status_code == 200
    chat = Chat.objects.get()
    assert chat.session_key == client.session.session_key
    assert chat.user == silver


def test_signing_in_does_not_hand_over_someone_elses_chat(client, silver):
    silver.set_password("silver-secret-5")
    silver.save()
    other = Client()
    other.post("/chat/", ENGLISH)
    client.post("/accounts/login/", {"username": "silver", "password": "silver-secret-5"})
    chat = Chat.objects.get()
    assert chat.user is None
    assert chat.session_key == other.session.session_key


def test_a_rejected_form_keeps_what_was_typed(client):
    response = client.post("/chat/", {**ENGLISH, "email": "not-an-email"})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert 'value="Vic"' in response.content.decode()
    assert not Chat.objects.exists()


def test_the_console_is_for_agents_only(client, silver, agent):
    client.force_login(silver)
    assert client.get("/chat/console/").status_code == 403
    client.force_login(agent)
    assert client.get("/chat/console/").status_code == 200


def console_queries(client, agent, members) -> int:
    for member in members:
        chat = open_chat(member.username, session_key=f"s-{member.username}", user=member)
        chat_accept(chat_id=chat.pk, agent=agent, now=chat.created)
    client.force_login(agent)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/chat/console/").status_code == 200
    return len(queries)


def test_the_consoles_cards_cost_no_query_each(client, agent, make_member, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 4
    one = console_queries(client, agent, [make_member("m0")])
    four = console_queries(client, agent, [make_member(f"m{n}") for n in range(1, 4)])
    assert one == four


def test_the_console_lists_the_agents_active_chats(client, agent, silver):
    mine = open_chat("Sylwia", user=silver, language="pl")
    chat_accept(chat_id=mine.pk, agent=agent, now=mine.created)
    open_chat("Waiting", session_key="s-other")
    client.force_login(agent)
    [card] = client.get("/chat/console/").context["config"]["cards"]
    assert (card["chat"], card["name"], card["convert_refusal"]) == (str(mine.pk), "Sylwia", "")
    # "Ask to file a ticket" is a canned reply now, rendered for this chat.
    assert card["canned_replies_url"] == f"/canned-replies/?chat={mine.pk}"
    assert (card["rank"], card["member_id"], card["visitor"]) == ("Silver", "1000007", False)
    assert (card["ended"], card["convert_until"]) == (False, card["convert_until"] or "x")


def test_a_visitors_chat_cannot_become_a_ticket(client, agent):
    chat = open_chat()
    chat_accept(chat_id=chat.pk, agent=agent, now=chat.created)
    client.force_login(agent)
    response = client.post(f"/chat/{chat.pk}/ticket/", follow=True)
    [message] = response.context["messages"]
    assert "not signed in" in str(message)
    chat.refresh_from_db()
    assert chat.state == "active"


def test_only_the_chats_agent_may_convert_it(client, make_agent, silver):
    chat = open_chat(user=silver)
    chat_accept(chat_id=chat.pk, agent=make_agent("alex"), now=chat.created)
    client.force_login(make_agent("blake"))
    assert client.post(f"/chat/{chat.pk}/ticket/").status_code == 404
    client.force_login(silver)
    assert client.post(f"/chat/{chat.pk}/ticket/").status_code == 403
