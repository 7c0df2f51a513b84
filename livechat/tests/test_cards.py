"""The console card's member context: rank, member ID, open tickets, past chats, visitors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from livechat.cards import SHOWN, member_context
from livechat.models import Chat
from livechat.services import chat_accept, chat_end
from livechat.tests.helpers import at, open_chat
from tickets.models import Status
from tickets.services import ticket_set_status, ticket_submit

pytestmark = pytest.mark.django_db


def held(agent, name, seconds=0, **extra):
    chat = open_chat(name, session_key=f"s-{name}-{seconds}", now=at(seconds), **extra)
    return chat_accept(chat_id=chat.pk, agent=agent, now=at(seconds)).chat


def cards_of(chats):
    chats = list(Chat.objects.select_related("user__profile").filter(pk__in=[c.pk for c in chats]))
    return member_context(chats)


def test_a_visitor_is_marked_as_such(agent):
    chat = held(agent, "Vic")
    Chat.objects.filter(pk=chat.pk).update(member_id="123")  # as typed in the form
    assert cards_of([chat])[str(chat.pk)] == {
        "visitor": True,
        "rank": None,
        "member_id": "123",
        "open_tickets": {"total": 0, "shown": []},
        "past_chats": {"total": 0, "shown": []},
    }


def test_a_member_comes_with_rank_id_open_tickets_and_rated_past_chats(agent, silver):
    old = held(agent, "Sylwia", 0, user=silver)
    chat_end(chat=old, by="Alex", now=at(60))
    Chat.objects.filter(pk=old.pk).update(rating=4)
    open_ticket = ticket_submit(member=silver, language="pl", summary="Błąd", description="x")
    closed = ticket_submit(member=silver, language="en", summary="Old", description="x")
    ticket_set_status(ticket=closed, status=Status.CLOSED, by=agent)
    chat = held(agent, "Sylwia", 100, user=silver)
    card = cards_of([chat])[str(chat.pk)]
    assert (card["visitor"], card["rank"], card["member_id"]) == (False, "Silver", "1000007")
    assert card["open_tickets"] == {
        "total": 1,
        "shown": [
            {
                "reference": open_ticket.reference,
                "title": "Polski - Błąd",
                "status": "New",
                "url": f"/admin/tickets/ticket/{open_ticket.pk}/change/",
            }
        ],
    }
    assert card["past_chats"] == {
        "total": 1,
        "shown": [
            {
                "created": at(0).isoformat(),
                "state": "Ended",
                "rating": 4,
                "url": f"/admin/livechat/chat/{old.pk}/change/",
            }
        ],
    }


def test_it_shows_the_most_recent_few_and_counts_them_all(agent, silver):
    for n in range(SHOWN + 2):
        chat_end(chat=held(agent, "Sylwia", n, user=silver), by="Alex", now=at(n))
    chat = held(agent, "Sylwia", 100, user=silver)
    past = cards_of([chat])[str(chat.pk)]["past_chats"]
    assert past["total"] == SHOWN + 2
    assert [item["created"] for item in past["shown"]] == [
        at(n).isoformat() for n in range(SHOWN + 1, 1, -1)
    ]


def test_it_costs_the_same_queries_for_one_card_or_four(agent, make_member, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 8

    def count(members) -> int:
        chats = []
        for n, member in enumerate(members):
            ticket_submit(member=member, language="en", summary="S", description="x")
            chat_end(chat=held(agent, member.username, n, user=member), by="A", now=at(n))
            chats.append(held(agent, member.username, 50 + n, user=member))
        loaded = list(
            Chat.objects.select_related("user__profile").filter(pk__in=[c.pk for c in chats])
        )
        with CaptureQueriesContext(connection) as queries:
            member_context(loaded)
        return len(queries)

    one = count([make_member("m0")])
    four = count([make_member(f"m{n}") for n in range(1, 5)])
    assert one == four == 2
