"""Ratings (item 14): once per ticket or chat, from the page or by a signed e-mail link that
needs no sign-in and rates nothing else."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from livechat.services import chat_accept, chat_end
from livechat.tests.helpers import T0, open_chat
from portal.ratings import SALT, rating_path, rating_target, rating_url
from tickets.models import Status
from tickets.services import ticket_set_status, ticket_submit


def make_ticket(member, summary="Cannot pay"):
    return ticket_submit(member=member, language="en", summary=summary, description="Steps")


@pytest.fixture
def ticket(silver):
    return make_ticket(silver)


@pytest.fixture
def resolved(ticket, agent):
    ticket.apply_status(Status.RESOLVED, by=agent)
    return ticket


@pytest.fixture
def ended_chat(agent):
    chat = open_chat("Visitor")
    chat_accept(chat_id=chat.pk, agent=agent, now=T0)
    chat_end(chat=chat, by="Visitor", now=T0)
    chat.refresh_from_db()
    return chat


def test_the_member_rates_a_resolved_ticket_from_its_page(client, silver, resolved):
    client.force_login(silver)
    page = client.get(resolved.get_absolute_url())
    assert "How did we do?" in page.text
    response = client.post(rating_path(resolved), {"rating": "4", "comment": " Quick! "})
    assert response.url == resolved.get_absolute_url()
    resolved.refresh_from_db()
    assert (resolved.rating, resolved.rating_comment) == (4, "Quick!")
    assert resolved.rated_at is not None
    page = client.get(resolved.get_absolute_url())
    assert "You rated the help 4 out of 5." in page.text
    assert "How did we do?" not in page.text


def test_an_open_ticket_offers_no_rating_and_refuses_one(client, silver, ticket):
    client.force_login(silver)
    assert "How did we do?" not in client.get(ticket.get_absolute_url()).text
    response = client.post(rating_path(ticket), {"rating": "5"})
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.rating is None


def test_the_e_mail_link_rates_without_signing_in_and_only_once(resolved):
    visitor = Client()
    path = rating_path(resolved)
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, {"rating": "2"}).status_code == 200
    again = visitor.post(path, {"rating": "5"})
    assert "you rated the help 2 out of 5" in again.text
    resolved.refresh_from_db()
    assert resolved.rating == 2


def test_a_link_rates_only_its_own_ticket(resolved, silver, agent):
    other = make_ticket(silver, summary="Other")
    other.apply_status(Status.RESOLVED, by=agent)
    token = rating_path(resolved).split("/")[-2]
    payload, signature = token.rsplit(":", 1)[0], token.rsplit(":", 1)[1]
    forged = signing.dumps({"kind": "ticket", "id": str(other.pk)}, salt="another salt")
    for bad in (f"{payload}x:{signature}", forged, "nonsense", token[:-3]):
        assert Client().post(f"/rate/{bad}/", {"rating": "1"}).status_code == 404
    other.refresh_from_db()
    assert other.rating is None


def test_a_stale_link_is_refused(resolved, monkeypatch):
    path = rating_path(resolved)
    later = timezone.now() + timedelta(days=61)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert Client().get(path).status_code == 404


def test_a_rating_is_one_of_five(resolved):
    for bad in ({"rating": "6"}, {"rating": "0"}, {}, {"rating": "x"}):
        assert Client().post(rating_path(resolved), bad).status_code == 400
    resolved.refresh_from_db()
    assert resolved.rating is None


def test_the_resolved_e_mail_carries_the_rating_link(
    ticket, agent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    [message] = mail.outbox
    # The token is signed with the time: read the link back rather than sign another.
    prefix = rating_url(ticket).split("/rate/")[0] + "/rate/"
    [token] = re.findall(re.escape(prefix) + r"([^/\s]+)/", message.body)
    assert rating_target(token) == ticket
    assert "no sign-in needed" in message.body


def test_an_ended_chat_is_rated_by_its_link(ended_chat):
    page = Client().get(rating_path(ended_chat))
    assert page.status_code == 200
    assert "Your Tech Support Chat of" in page.text
    Client().post(rating_path(ended_chat), {"rating": "5", "comment": "Alex was great"})
    ended_chat.refresh_from_db()
    assert (ended_chat.rating, ended_chat.rating_comment) == (5, "Alex was great")


def test_a_chat_nobody_answered_is_not_rated(agent):
    chat = open_chat("Alone")
    chat_end(chat=chat, by="Alone", now=T0)
    assert Client().post(rating_path(chat), {"rating": "1"}).status_code == 409


def test_the_chat_page_carries_the_rating_form_for_after_the_end(client, agent):
    client.post(
        "/chat/", {"name": "Vic", "email": "v@example.com", "question": "I cannot log in today"}
    )
    from livechat.models import Chat

    chat = Chat.objects.get()
    page = client.get(f"/chat/{chat.pk}/")
    assert f'action="{rating_path(chat)}"' in page.text
    assert SALT not in page.text
