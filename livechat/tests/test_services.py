import json

import pytest
from django.contrib.auth.models import User

from livechat.errors import AtCapacity, ChatOver, SlowDown, Taken
from livechat.models import Chat
from livechat.services import (
    chat_abandon_stale,
    chat_accept,
    chat_end,
    chat_say,
    chat_seen,
    chats_seen,
)
from livechat.tests.helpers import T0, at, open_chat
from tests.servers import manage, portal_env


def say(chat, body, client_id="", now=T0):
    return chat_say(
        chat=chat, author="member", name=chat.name, body=body, client_id=client_id, now=now
    )


@pytest.mark.django_db
def test_it_opens_a_chat_with_the_question_as_its_first_message():
    chat = open_chat(question="My order page is blank")
    assert chat.state == Chat.State.WAITING
    assert list(chat.messages.values_list("seq", "author", "body")) == [
        (1, "member", "My order page is blank")
    ]


@pytest.mark.django_db
def test_it_orders_the_queue_oldest_first_and_numbers_positions_from_one():
    late = open_chat("Late", now=at(30))
    early = open_chat("Early", now=at(0))
    middle = open_chat("Middle", now=at(10))
    assert list(Chat.objects.waiting(at(40))) == [early, middle, late]
    assert [c.position(at(40)) for c in (early, middle, late)] == [1, 2, 3]


@pytest.mark.django_db
def test_it_moves_everyone_up_when_the_head_is_accepted(agent):
    first, second = open_chat("First", now=at(0)), open_chat("Second", now=at(1))
    chat_accept(chat_id=first.pk, agent=agent, now=at(5))
    first.refresh_from_db()
    assert first.position(at(5)) is None
    assert second.position(at(5)) == 1


@pytest.mark.django_db
def test_it_accepts_a_chat_only_once(make_agent):
    chat = open_chat()
    alex, blake = make_agent("alex"), make_agent("blake")
    update = chat_accept(chat_id=chat.pk, agent=alex, now=at(5))
    assert update.chat.state == Chat.State.ACTIVE
    assert update.chat.agent == alex
    assert update.messages[0].body == "Alex joined the chat."
    with pytest.raises(Taken):
        chat_accept(chat_id=chat.pk, agent=blake, now=at(6))


@pytest.mark.django_db
def test_it_refuses_an_agent_at_capacity(agent, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 2
    chats = [open_chat(f"M{i}", session_key=f"s{i}", now=at(i)) for i in range(3)]
    for chat in chats[:2]:
        chat_accept(chat_id=chat.pk, agent=agent, now=at(10))
    with pytest.raises(AtCapacity):
        chat_accept(chat_id=chats[2].pk, agent=agent, now=at(10))
    chats[2].refresh_from_db()
    assert (chats[2].state, chats[2].agent) == (Chat.State.WAITING, None)
    other = User.objects.create_user("other-agent", is_staff=True)
    assert chat_accept(chat_id=chats[2].pk, agent=other, now=at(11)).chat.agent == other


@pytest.mark.django_db
def test_one_side_says_at_most_the_rate_limit_in_its_window(settings, agent):
    settings.LIVECHAT_RATE_LIMIT = (2, 10)
    chat = open_chat()  # the question, at T0, is not counted
    say(chat, "one", "c1")
    say(chat, "two", "c2", now=at(5))
    with pytest.raises(SlowDown):
        say(chat, "three", "c3", now=at(9))
    assert say(chat, "two", "c2", now=at(9)).messages == ()  # a resend is not refused
    chat_accept(chat_id=chat.pk, agent=agent, now=at(9))
    chat_say(chat=chat, author="agent", name="Alex", body="Hi", client_id="a1", now=at(9))
    [four] = say(chat, "four", "c4", now=at(10.5)).messages  # "one" has left the window
    members = chat.messages.filter(author="member").values_list("seq", "body")
    assert list(members) == [(1, "I cannot log in"), (2, "one"), (3, "two"), (6, "four")]
    assert four.seq == 6  # the refused one took no seq: 4 is the join, 5 the agent's Hi


@pytest.mark.django_db
def test_it_stores_a_resent_message_once():
    chat = open_chat()
    first = say(chat, "Hello?", client_id="c-1")
    again = say(chat, "Hello?", client_id="c-1")
    assert [m.seq for m in first.messages] == [2]
    assert again.messages == ()
    assert chat.messages.filter(client_id="c-1").count() == 1


@pytest.mark.django_db
def test_ending_a_chat_accepted_since_it_was_read_ends_it_as_active(agent):
    read = open_chat()
    chat_accept(chat_id=read.pk, agent=agent, now=at(1))
    update = chat_end(chat=read, by="Visitor", now=at(5))
    assert (update.chat.state, update.chat.agent, update.chat.ended_at) == (
        Chat.State.ENDED,
        agent,
        at(5),
    )
    assert not update.queue_changed


@pytest.mark.django_db
def test_it_refuses_messages_once_the_chat_ended():
    chat = open_chat()
    update = chat_end(chat=chat, by="Visitor", now=at(5))
    assert update.chat.state == Chat.State.ENDED
    assert update.queue_changed
    with pytest.raises(ChatOver):
        say(chat, "Still there?")
    with pytest.raises(ChatOver):
        chat_end(chat=chat, by="Visitor", now=at(6))


@pytest.mark.django_db
def test_it_abandons_a_member_gone_longer_than_the_setting(settings):
    settings.LIVECHAT_ABANDON_AFTER = at(120) - T0
    chat = open_chat()
    assert chat_abandon_stale(now=at(119)) == []
    assert chat.position(at(119)) == 1
    [update] = chat_abandon_stale(now=at(121))
    assert update.chat.state == Chat.State.ABANDONED
    assert update.queue_changed


@pytest.mark.django_db
def test_it_keeps_the_place_of_a_member_back_in_time(settings):
    settings.LIVECHAT_ABANDON_AFTER = at(120) - T0
    chat = open_chat()
    chat_seen(chat=chat, now=at(100))
    assert chat_abandon_stale(now=at(200)) == []
    assert chat.position(at(200)) == 1


@pytest.mark.django_db
def test_it_abandons_a_member_back_too_late(settings, agent):
    settings.LIVECHAT_ABANDON_AFTER = at(120) - T0
    chat = open_chat()
    other = open_chat("Other", session_key="s-other", now=at(100))
    assert other.position(at(130)) == 1  # the stale one no longer counts
    update = chat_seen(chat=chat, now=at(130))
    assert update.chat.state == Chat.State.ABANDONED
    with pytest.raises(Taken):
        chat_accept(chat_id=chat.pk, agent=agent, now=at(130))


@pytest.mark.django_db
def test_it_keeps_many_pages_seen_at_once_and_abandons_only_theirs_that_went_stale(settings):
    settings.LIVECHAT_ABANDON_AFTER = at(120) - T0
    kept = open_chat("Kept", session_key="s-kept", now=at(0))
    late = open_chat("Late", session_key="s-late", now=at(0))
    elsewhere = open_chat("Elsewhere", session_key="s-elsewhere", now=at(0))  # stale too
    chat_seen(chat=kept, now=at(100))
    updates = chats_seen(chat_ids=[kept.pk, late.pk], now=at(130))
    assert [(u.chat.pk, u.chat.state) for u in updates] == [(late.pk, Chat.State.ABANDONED)]
    assert updates[0].queue_changed
    kept.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (kept.seen_at, kept.state) == (at(130), Chat.State.WAITING)
    assert elsewhere.state == Chat.State.WAITING  # not this process's to judge


def test_it_numbers_messages_and_accepts_once_under_concurrency(tmp_path):
    env = portal_env(tmp_path, DJANGO_LIVECHAT_RATE_MESSAGES="100")  # 30 at once here
    manage(env, "migrate", "--noinput")
    code = "import json; from livechat.tests.helpers import race; print(json.dumps(race(6, 5)))"
    result = json.loads(manage(env, "shell", "--no-imports", "-c", code))
    assert result == {"seqs": list(range(1, 32)), "won": 1}


def test_one_agents_tabs_accepting_at_once_stay_within_capacity(tmp_path):
    env = portal_env(tmp_path, DJANGO_LIVECHAT_AGENT_CAPACITY="2")
    manage(env, "migrate", "--noinput")
    code = "from livechat.tests.helpers import tabs_race; print(tabs_race(8))"
    assert manage(env, "shell", "--no-imports", "-c", code).strip() == "2"
