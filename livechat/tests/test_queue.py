from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livechat.cursor import Cursor, RateLimit
from livechat.groups import WAITING_GROUP
from livechat.models import Chat
from livechat.notify import broadcasts
from livechat.services import Update, chat_accept, chat_end, chat_open
from livechat.tests.helpers import at, open_chat
from livechat.waiting import (
    agent_seen,
    estimate_wait,
    handle_time,
    queue_states,
    state_frame,
)

pytestmark = pytest.mark.django_db


def handled(agent, minutes, n):
    chat = open_chat(f"Past{n}", session_key=f"s-past{n}", now=at(0))
    chat_accept(chat_id=chat.pk, agent=agent, now=at(0))
    chat_end(chat=chat, by="Alex", now=at(minutes * 60))


def test_it_estimates_nothing_when_no_agent_is_online():
    chat = open_chat(now=at(0))
    assert estimate_wait(1, at(1)) is None
    assert state_frame(chat, at(1))["wait_seconds"] is None


def test_it_learns_the_handle_time_from_recent_chats(agent):
    assert handle_time() == timedelta(minutes=5)
    handled(agent, 4, 1)
    handled(agent, 8, 2)
    assert handle_time() == timedelta(minutes=6)


def test_it_estimates_from_handle_time_and_free_slots(agent, make_agent, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 2
    handled(agent, 6, 1)
    agent_seen(agent, at(600))
    agent_seen(make_agent("blake"), at(600))
    # Four slots, none busy: the first four are next; the fifth waits a quarter handle time.
    assert estimate_wait(4, at(601)) == 0
    assert estimate_wait(5, at(601)) == 90
    assert estimate_wait(9, at(601)) == 450
    # An agent whose console went quiet is no longer counted.
    assert estimate_wait(5, at(700)) is None


def test_the_state_frame_has_the_agents_name_once_active(agent):
    chat = open_chat(now=at(0))
    update = chat_accept(chat_id=chat.pk, agent=agent, now=at(1))
    assert state_frame(update.chat, at(2)) == {
        "type": "state",
        "state": "active",
        "position": None,
        "agent": "Alex",
        "wait_seconds": None,
    }


def test_the_cursor_passes_each_seq_once_in_order():
    cursor = Cursor(2)
    assert cursor.fresh([{"seq": 4}, {"seq": 2}, {"seq": 3}]) == [{"seq": 3}, {"seq": 4}]
    assert cursor.fresh([{"seq": 4}]) == []
    assert not cursor.gap_before(5)
    assert cursor.gap_before(6)


def test_the_rate_limit_counts_a_sliding_window():
    now = [0.0]
    limit = RateLimit(2, 10, clock=lambda: now[0])
    assert [limit.allow(), limit.allow(), limit.allow()] == [True, True, False]
    now[0] = 10.5
    assert limit.allow()


def queries_for_a_queue_change(waiting: int, agent, now) -> int:
    for n in range(waiting):
        open_chat(f"W{n}", session_key=f"s-w{n}-{waiting}", now=now)
    newest = open_chat("Newest", session_key=f"s-newest-{waiting}", now=now)
    update = Update(newest, state_changed=True, queue_changed=True)
    with CaptureQueriesContext(connection) as queries:
        events = dict(broadcasts(update))
    assert len(events[WAITING_GROUP]["states"]) == Chat.objects.waiting(now).count()
    return len(queries)


def test_a_queue_change_reads_the_queue_once_however_many_wait(agent):
    now = timezone.now()  # broadcasts() reads the clock itself
    agent_seen(agent, now)
    few = queries_for_a_queue_change(2, agent, now)
    many = queries_for_a_queue_change(20, agent, now)
    assert few == many


def test_a_queue_change_reads_the_queue_and_the_estimate_once(agent):
    now = timezone.now()  # broadcasts() reads the clock itself
    agent_seen(agent, now)
    opened = chat_open(
        name="Vic", email="vic@example.com", member_id="", question="Hi", session_key="s-v", now=now
    )
    # The queue, then the estimate's three figures (agents online, chats active, handle time);
    # the opened chat's own state frame comes out of the same read.
    with CaptureQueriesContext(connection) as queries:
        events = broadcasts(opened)
    assert len(queries) == 4
    assert events[1][1]["frame"] == events[3][1]["states"][str(opened.chat.pk)]
    accepted = chat_accept(chat_id=opened.chat.pk, agent=agent, now=now)
    with CaptureQueriesContext(connection) as queries:
        events = broadcasts(accepted)
    # The accepted chat's agent is in hand, not read again; the queue is empty now, so no
    # estimate; the consoles' delta needs no read.
    assert len(queries) == 1
    assert events[3][1]["frame"]["left"] == [str(opened.chat.pk)]


def test_each_waiting_member_gets_its_own_place_and_estimate(agent, settings):
    settings.LIVECHAT_ABANDON_AFTER = timedelta(days=1)
    chats = [open_chat(f"W{n}", session_key=f"s-{n}", now=at(n)) for n in range(3)]
    states = queue_states(at(5))
    assert [states[str(chat.pk)]["position"] for chat in chats] == [1, 2, 3]
    assert states[str(chats[2].pk)] == state_frame(chats[2], at(5))
