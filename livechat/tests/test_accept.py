"""livechat.accept: the accept's decision in plain SQL, in as few statements as its rules
allow, answering what it stored; a refusal changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from livechat.errors import AtCapacity, Away, Taken
from livechat.models import AgentPresence, Chat, Message, QueueRevision
from livechat.services import chat_accept
from livechat.tests.helpers import T0, at, open_chat

pytestmark = pytest.mark.django_db


def statements(queries) -> list[str]:
    """The statements sent, past the test's own savepoints."""
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


def what_changed(chat) -> tuple:
    chat.refresh_from_db()
    return chat.state, chat.agent_id, chat.last_seq, chat.messages.count(), QueueRevision.current()


def test_it_decides_in_one_round_trip_on_postgresql_and_three_statements_on_sqlite(agent):
    chat = open_chat()
    with CaptureQueriesContext(connection) as queries:
        chat_accept(chat_id=chat.pk, agent=agent, now=at(5))
    assert len(statements(queries)) == (1 if connection.vendor == "postgresql" else 3)


def test_it_answers_what_it_stored_without_reading_it_again(agent):
    AgentPresence.objects.create(agent=agent, seen_at=T0, alerts=True)
    held = open_chat("Held", now=at(0))
    chat_accept(chat_id=held.pk, agent=agent, now=at(1))
    chat = open_chat("Vic", now=at(2), question="The export is empty")
    update = chat_accept(chat_id=chat.pk, agent=agent, now=at(30))

    stored = Chat.objects.get(pk=chat.pk)
    answered = update.chat
    for field in ("id", "state", "agent_id", "name", "email", "question", "last_seq"):
        assert getattr(answered, field) == getattr(stored, field), field
    assert (stored.accepted_at, stored.wait_seconds) == (at(30), 28)
    [joined] = update.messages
    row = stored.messages.get(seq=joined.seq)
    assert joined.seq == 2  # after the question
    assert (joined.body, joined.event, joined.params) == (row.body, row.event, row.params)
    assert (row.author, row.body) == (Message.Author.SYSTEM, "Alex joined the chat.")
    assert update.revision == QueueRevision.current()
    assert update.held == (2, True)  # this chat and the one held before; alerts on


def test_an_away_agent_takes_nothing_and_nothing_changes(agent):
    AgentPresence.objects.create(agent=agent, seen_at=T0, away=True)
    chat = open_chat()
    before = what_changed(chat)
    with pytest.raises(Away):
        chat_accept(chat_id=chat.pk, agent=agent, now=at(5))
    assert what_changed(chat) == before


def test_an_agent_at_capacity_takes_nothing_and_nothing_changes(agent, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 1
    chat_accept(chat_id=open_chat("First").pk, agent=agent, now=at(1))
    chat = open_chat("Second")
    before = what_changed(chat)
    with pytest.raises(AtCapacity):
        chat_accept(chat_id=chat.pk, agent=agent, now=at(5))
    assert what_changed(chat) == before


def test_a_taken_chat_is_taken_even_for_an_agent_away(agent, make_agent):
    chat = open_chat()
    chat_accept(chat_id=chat.pk, agent=make_agent("blake"), now=at(1))
    AgentPresence.objects.create(agent=agent, seen_at=T0, away=True)
    with pytest.raises(Taken):
        chat_accept(chat_id=chat.pk, agent=agent, now=at(5))


def test_it_counts_the_queues_revision_from_a_database_without_its_row(agent):
    chat = open_chat()
    QueueRevision.objects.all().delete()  # a flushed database
    assert chat_accept(chat_id=chat.pk, agent=agent, now=at(5)).revision == 1
    assert QueueRevision.current() == 1
