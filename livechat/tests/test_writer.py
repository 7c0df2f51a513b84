"""Group commit: batches of messages in one transaction (livechat.sql through
livechat.writer), a resend inside a batch, a batch that fails."""

import json

import pytest
from django.db import DatabaseError

from livechat import sql
from livechat.errors import ChatOver, NotStored, SlowDown
from livechat.models import Message
from livechat.services import chat_accept, chat_end
from livechat.tests.conftest import connect
from livechat.tests.helpers import T0, at, open_chat
from livechat.writer import Writer
from tests.servers import manage, portal_env

pytestmark = pytest.mark.django_db(transaction=True)


def say(chat, body, client_id="", *, now=T0, author="member"):
    return sql.Say(chat.pk, author, "Vic", body, client_id, now)


def poison(monkeypatch):
    """Make any batch holding a message "poison" fail in the database."""
    store = sql.store

    def poisoned(says):
        if any(s.body == "poison" for s in says):
            raise DatabaseError("disk I/O error")
        return store(says)

    monkeypatch.setattr(sql, "store", poisoned)


def test_a_batch_numbers_several_chats_messages_in_one_go():
    one, two = open_chat("One"), open_chat("Two", session_key="s-two")
    outcomes = Writer().write([say(one, "a", "1"), say(two, "b", "2"), say(one, "c", "3")])
    assert [(o.message.chat_id, o.message.seq, o.resent) for o in outcomes] == [
        (one.pk, 2, False),
        (two.pk, 2, False),
        (one.pk, 3, False),
    ]
    assert list(one.messages.values_list("seq", "body")) == [
        (1, "I cannot log in"),
        (2, "a"),
        (3, "c"),
    ]


def test_a_batch_of_more_chats_than_one_statement_takes_numbers_them_all(monkeypatch):
    monkeypatch.setattr(sql, "CHATS_PER_STATEMENT", 2)
    chats = [open_chat(f"C{n}", session_key=f"s-{n}") for n in range(5)]
    outcomes = Writer().write([say(chat, f"to {n}") for n, chat in enumerate(chats) for _ in "ab"])
    assert sorted((o.message.chat_id, o.message.seq) for o in outcomes) == sorted(
        (chat.pk, seq) for chat in chats for seq in (2, 3)
    )


def test_a_resend_inside_a_batch_is_stored_once_and_answered_with_the_first():
    chat = open_chat()
    outcomes = Writer().write([say(chat, "hi", "same"), say(chat, "hi", "same"), say(chat, "x")])
    first, again, other = outcomes
    assert (first.resent, again.resent) == (False, True)
    assert again.message.to_frame() == first.message.to_frame()
    assert other.message.seq == 3
    assert chat.messages.filter(client_id="same").count() == 1
    [later] = Writer().write([say(chat, "hi", "same")])
    assert (later.resent, later.message.to_frame()) == (True, first.message.to_frame())


def test_a_refused_message_does_not_spoil_its_batch(settings):
    settings.LIVECHAT_RATE_LIMIT = (2, 10)
    talk, over = open_chat("Talk"), open_chat("Over", session_key="s-over")
    chat_end(chat=over, by="Vic", now=T0)
    outcomes = Writer().write(
        [say(talk, f"m{n}", f"m{n}", now=at(n)) for n in range(3)] + [say(over, "late")]
    )
    assert [type(o).__name__ for o in outcomes] == ["Stored", "Stored", "SlowDown", "ChatOver"]
    assert isinstance(outcomes[2], SlowDown)
    assert isinstance(outcomes[3], ChatOver)
    [allowed] = Writer().write([say(talk, "m3", "m3", now=at(10.5))])  # m0 left the window
    assert allowed.message.seq == 4


@pytest.mark.parametrize("sides_per_query", [sql.SIDES_PER_QUERY, 1])
def test_each_side_of_each_chat_keeps_its_own_rate_in_one_batch(
    settings, agent, monkeypatch, sides_per_query
):
    """The stored messages of every side of the batch's chats are read together (in one
    query, or in several when there are many sides); each side is judged by its own."""
    monkeypatch.setattr(sql, "SIDES_PER_QUERY", sides_per_query)
    settings.LIVECHAT_RATE_LIMIT = (2, 10)
    one, two = open_chat("One"), open_chat("Two", session_key="s-two")
    chat_accept(chat_id=one.pk, agent=agent, now=T0)
    Writer().write([say(one, "early", "e1", now=at(1)), say(two, "early", "e2", now=at(1))])
    outcomes = Writer().write(
        [
            say(one, "m", "m1", now=at(2)),
            say(two, "m", "m2", now=at(2)),
            say(one, "a", "a1", now=at(2), author="agent"),
            say(one, "m", "m3", now=at(3)),  # the member of One: a third in 10 s
            say(one, "a", "a2", now=at(3), author="agent"),
            say(two, "m", "m4", now=at(11.5)),  # Two's "early" has left the window
        ]
    )
    assert [type(o).__name__ for o in outcomes] == [
        "Stored",
        "Stored",
        "Stored",
        "SlowDown",
        "Stored",
        "Stored",
    ]


def test_a_failed_batch_fails_only_its_messages_and_the_writer_goes_on(monkeypatch):
    chat = open_chat()
    poison(monkeypatch)
    writer = Writer()
    outcomes = writer.write(
        [say(chat, "fine", "1"), say(chat, "poison", "2"), say(chat, "ok", "3")]
    )
    assert isinstance(outcomes[1], NotStored)
    assert [outcomes[0].message.seq, outcomes[2].message.seq] == [2, 3]
    [next_one] = writer.write([say(chat, "after", "4")])
    assert next_one.message.seq == 4
    assert list(chat.messages.values_list("body", flat=True)) == [
        "I cannot log in",
        "fine",
        "ok",
        "after",
    ]


async def test_a_socket_hears_not_stored_when_its_batch_fails(
    waiting_chat, visitor_key, monkeypatch
):
    poison(monkeypatch)
    socket = await connect(f"/ws/chat/{waiting_chat.pk}/", visitor_key)
    await socket.send_json_to({"type": "hello", "after": 0})
    while (await socket.receive_json_from())["type"] != "state":
        pass
    await socket.send_json_to({"type": "say", "body": "poison", "client_id": "p"})
    error = await socket.receive_json_from()
    assert (error["type"], error["code"]) == ("error", "not_stored")
    await socket.send_json_to({"type": "say", "body": "fine", "client_id": "f"})
    stored = await socket.receive_json_from()
    assert (stored["type"], stored["seq"], stored["body"]) == ("message", 2, "fine")
    assert not await Message.objects.filter(body="poison").aexists()
    await socket.disconnect()


async def test_a_socket_with_too_many_unstored_messages_is_slowed_down(
    waiting_chat, visitor_key, settings, monkeypatch
):
    settings.LIVECHAT_MAX_UNCOMMITTED = 2
    held = []

    def never_commits(say, sender, settle):
        held.append(say)

    monkeypatch.setattr("livechat.consumers.writer.say", never_commits)
    socket = await connect(f"/ws/chat/{waiting_chat.pk}/", visitor_key)
    for n in range(3):
        await socket.send_json_to({"type": "say", "body": f"m{n}", "client_id": f"m{n}"})
    error = await socket.receive_json_from()
    assert (error["code"], [s.body for s in held]) == ("slow_down", ["m0", "m1"])
    await socket.disconnect()


def test_the_writers_wal_is_checkpointed_by_its_own_thread_every_hundred_commits(tmp_path):
    env = portal_env(tmp_path, DJANGO_LIVECHAT_RATE_MESSAGES="1000")  # 250 at once here
    manage(env, "migrate", "--noinput")
    code = "import json; from livechat.tests.helpers import checkpointed; "
    code += "print(json.dumps(checkpointed(250)))"
    result = json.loads(manage(env, "shell", "--no-imports", "-c", code))
    # SQLite's own checkpoint would wait for 1,000 pages: 250 small commits stay in the WAL.
    assert result["autocheckpoint"] == 0
    # At least the 200 before the second checkpoint; the later ones if it ran after them.
    assert 200 <= result["in_file"] <= 250


@pytest.mark.parametrize("micro", [0, 123456])  # SQLite's text has no fraction at 0
def test_a_replay_says_each_message_as_its_live_frame_did(micro):
    chat = open_chat("Vic")
    now = T0.replace(microsecond=micro)
    outcomes = Writer().write([say(chat, "a", "r-1", now=now), say(chat, "b", "r-2", now=now)])
    live = [o.message.to_frame() for o in outcomes]
    replayed = [json.loads(text) for _seq, text in sql.texts_after(chat.pk, 1, "en")]
    assert replayed == live
    assert live[0]["sent_at"] == now.isoformat()
