"""A clearly non-English request: one coherent offer for each kind of person, and the whole
question handed on through the session, never the URL."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from livechat.models import Chat

pytestmark = pytest.mark.django_db

POLISH = {
    "name": "Vic",
    "member_id": "",
    "email": "vic@example.com",
    "question": "Nie mogę się zalogować do portalu od wczoraj",
}
# The longest question the chat takes, in Cyrillic: ~24 KB once percent-encoded.
RUSSIAN = ("Не могу войти в портал, страница заказа показывает ошибку. " * 70)[:3999] + "!"


def test_the_whole_question_reaches_the_ticket_form_by_a_short_key(client, silver):
    assert len(RUSSIAN) == 4000
    client.force_login(silver)
    offer = client.post("/chat/", {**POLISH, "question": RUSSIAN})
    ticket_url = offer.context["ticket_url"]
    assert len(ticket_url) < 40
    assert RUSSIAN[:50] not in offer.content.decode()  # not in any link
    form = client.get(ticket_url).context["form"]
    assert form.initial["description"] == RUSSIAN
    assert form.initial["language"] == "ru"
    assert not Chat.objects.exists()


def test_another_session_cannot_read_the_draft(client, silver, diamond):
    client.force_login(silver)
    ticket_url = client.post("/chat/", POLISH).context["ticket_url"]
    other = Client()
    other.force_login(diamond)
    assert other.get(ticket_url).context["form"].initial["description"] == ""


def test_a_visitor_signs_in_and_finds_the_question_in_the_ticket_form(client, silver):
    silver.set_password("silver-secret-5")
    silver.save()
    offer = client.post("/chat/", {**POLISH, "question": RUSSIAN})
    page = offer.content.decode()
    assert "sign in and the form will be filled in with your question" in page
    assert "Sign in to submit a tech issue" in page
    assert "We have filled in the form" not in page
    login = urlparse(offer.context["login_url"])
    assert login.path == "/accounts/login/"
    [next_url] = parse_qs(login.query)["next"]
    signed_in = client.post(
        offer.context["login_url"], {"username": "silver", "password": "silver-secret-5"}
    )
    assert signed_in.url == next_url
    assert client.get(next_url).context["form"].initial["description"] == RUSSIAN


def test_a_member_past_the_gate_is_offered_the_prefilled_ticket(client, silver):
    client.force_login(silver)
    page = client.post("/chat/", POLISH).content.decode()
    assert "We have filled in the form with your question." in page
    assert "Wpisaliśmy już Twoje pytanie do formularza." in page
    assert "Sign in" not in page.split("<main", 1)[1]
    assert "rank Silver" not in page


def test_a_member_below_the_gate_is_led_back_to_the_chat_with_what_they_typed(client, premier):
    client.force_login(premier)
    offer = client.post("/chat/", {**POLISH, "name": "Piotr P"})
    page = offer.content.decode()
    assert "open at rank Silver. Please write your question in English" in page
    assert "/tech-issues/new/" not in page
    assert "filled in the form" not in page
    assert "cannot submit a ticket" not in page
    form = client.get(offer.context["chat_url"]).context["form"]
    assert form.initial["name"] == "Piotr P"
    assert form.initial["question"] == POLISH["question"]


def test_a_polish_page_makes_the_offer_in_polish_only(client, silver):
    silver.profile.preferred_language = "pl"
    silver.profile.save()
    client.force_login(silver)
    page = client.post("/chat/", POLISH).content.decode()
    assert '<html lang="pl"' in page
    assert "Wpisaliśmy już Twoje pytanie do formularza." in page
    main = page.split("<main", 1)[1]
    assert "Our chat is in English only" not in main
    assert "We have filled in the form" not in main


def test_an_english_page_makes_the_offer_in_the_questions_language_and_english(client, silver):
    client.force_login(silver)
    page = client.post("/chat/", POLISH).content.decode()
    assert '<html lang="en"' in page
    assert "Wpisaliśmy już Twoje pytanie do formularza." in page
    assert "We have filled in the form with your question." in page
