"""/ws/chat/<uuid>/ through WebsocketCommunicator: every frame type and every error."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from livechat import services
from livechat.groups import WAITING_GROUP
from livechat.models import Message
from livechat.notify import publish
from livechat.services import Update, chat_accept, chat_say
from livechat.sockets import encoded
from livechat.tests.conftest import connect, open_console, session_of
from livechat.tests.helpers import T0, open_chat

pytestmark = pytest.mark.django_db(transaction=True)


def path(chat):
    return f"/ws/chat/{chat.pk}/"


async def hello(socket, after=0):
    await socket.send_json_to({"type": "hello", "after": after})
    frames = []
    while not frames or frames[-1]["type"] != "state":
        frames.append(await socket.receive_json_from())
    return frames


async def closed_with(socket):
    output = await socket.receive_output()
    await socket.disconnect()
    return output["type"], output.get("code")


async def both_sides(chat, member_key, agent_key):
    """The chat's member and agent, connected, each past hello."""
    sockets = [await connect(path(chat), key) for key in (member_key, agent_key)]
    for socket in sockets:
        await hello(socket)
    return sockets


def open_and_publish(name, session_key):
    chat = open_chat(name, session_key=session_key, now=timezone.now())
    publish(Update(chat, state_changed=True, queue_changed=True))


@pytest.fixture
def active_chat(waiting_chat, agent):
    return chat_accept(chat_id=waiting_chat.pk, agent=agent, now=timezone.now()).chat


async def test_it_answers_hello_with_the_backlog_then_the_state(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    [message, state] = await hello(socket)
    assert message == {
        "type": "message",
        "seq": 1,
        "author": "member",
        "name": "Vic",
        "body": "I cannot log in",
        "sent_at": message["sent_at"],
        "client_id": "",
    }
    assert state == {
        "type": "state",
        "state": "waiting",
        "position": 1,
        "agent": None,
        "wait_seconds": None,
    }
    assert await hello(socket, after=1) == [state]
    await socket.disconnect()


async def test_it_refuses_a_foreign_or_missing_origin(waiting_chat, visitor_key):
    for origin in (b"http://evil.example", None):
        headers = [(b"cookie", f"sessionid={visitor_key}".encode())]
        if origin:
            headers.append((b"origin", origin))
        from channels.testing import WebsocketCommunicator

        from helpdesk.asgi import application

        socket = WebsocketCommunicator(application, path(waiting_chat), headers=headers)
        connected, _ = await socket.connect()
        assert not connected


async def test_it_closes_anyone_else_with_4403(waiting_chat, make_agent, make_member):
    other = await sync_to_async(session_of)()
    stranger = await sync_to_async(session_of)(await sync_to_async(make_member)("diamond"))
    other_agent = await sync_to_async(session_of)(await sync_to_async(make_agent)("blake"))
    for key in (None, other, stranger, other_agent):
        socket = await connect(path(waiting_chat), key)
        assert await closed_with(socket) == ("websocket.close", 4403)


async def test_the_member_and_the_agent_talk(active_chat, visitor_key, agent_key):
    member, agent = await both_sides(active_chat, visitor_key, agent_key)
    await member.send_json_to({"type": "say", "body": "Hello?", "client_id": "c1"})
    for socket in (member, agent):
        frame = await socket.receive_json_from()
        assert (frame["seq"], frame["author"], frame["name"], frame["body"]) == (
            3,
            "member",
            "Vic",
            "Hello?",
        )
        assert frame["client_id"] == "c1"
    await agent.send_json_to({"type": "say", "body": "Hi, Alex here", "client_id": "a1"})
    assert (await member.receive_json_from())["author"] == "agent"
    assert (await agent.receive_json_from())["seq"] == 4
    await member.disconnect()
    await agent.disconnect()


async def test_it_stores_a_resend_once_and_confirms_it_to_the_sender(
    active_chat, visitor_key, agent_key
):
    member, agent = await both_sides(active_chat, visitor_key, agent_key)
    frame = {"type": "say", "body": "Anyone?", "client_id": "same"}
    await member.send_json_to(frame)
    await member.send_json_to(frame)
    first, again = await member.receive_json_from(), await member.receive_json_from()
    assert first == again
    assert (again["seq"], again["client_id"], again["body"]) == (3, "same", "Anyone?")
    assert await member.receive_nothing()
    assert (await agent.receive_json_from())["seq"] == 3
    assert await agent.receive_nothing()
    assert await Message.objects.filter(client_id="same").acount() == 1
    await member.disconnect()
    await agent.disconnect()


async def test_it_passes_typing_to_the_other_side_only(active_chat, visitor_key, agent_key):
    member, agent = await both_sides(active_chat, visitor_key, agent_key)
    await member.send_json_to({"type": "typing"})
    await member.send_json_to({"type": "typing"})  # within 2 s: not passed on
    assert await agent.receive_json_from() == {"type": "typing", "author": "member"}
    assert await agent.receive_nothing()
    assert await member.receive_nothing()
    await member.disconnect()
    await agent.disconnect()


async def test_either_side_ends_the_chat(active_chat, visitor_key, agent_key):
    member, agent = await both_sides(active_chat, visitor_key, agent_key)
    await agent.send_json_to({"type": "end"})
    for socket in (member, agent):
        note = await socket.receive_json_from()
        assert (note["author"], note["body"]) == ("system", "Alex ended the chat.")
        state = await socket.receive_json_from()
        assert state["state"] == "ended"
    await member.send_json_to({"type": "say", "body": "Wait!", "client_id": "late"})
    assert (await member.receive_json_from())["code"] == "ended"
    await member.send_json_to({"type": "end"})
    assert (await member.receive_json_from())["code"] == "ended"
    await member.disconnect()
    await agent.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"no": "type"}',
        '{"type": "dance"}',
        '{"type": "hello", "after": "x"}',
        '{"type": "hello", "after": -1}',
        '{"type": "say", "body": 5}',
        '{"type": "say", "body": "   "}',
        '{"type": "say", "body": "hi", "client_id": 7}',
    ],
)
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_usable(
    frame, waiting_chat, visitor_key
):
    socket = await connect(path(waiting_chat), visitor_key)
    await socket.send_to(text_data=frame)
    error = await socket.receive_json_from()
    assert (error["type"], error["code"]) == ("error", "bad_frame")
    assert (await hello(socket))[-1]["state"] == "waiting"
    await socket.disconnect()


async def test_a_binary_frame_gets_an_error(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from())["code"] == "bad_frame"
    await socket.disconnect()


async def test_a_body_over_the_limit_is_too_long(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)
    await socket.send_json_to({"type": "say", "body": "x" * 4001, "client_id": "long"})
    assert (await socket.receive_json_from())["code"] == "too_long"
    await socket.send_json_to({"type": "say", "body": "x" * 4000, "client_id": "ok"})
    assert (await socket.receive_json_from())["type"] == "message"
    await socket.disconnect()


async def test_a_frame_over_64_kb_closes_with_4009(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    await socket.send_json_to({"type": "say", "body": "x" * 70_000, "client_id": "huge"})
    assert await closed_with(socket) == ("websocket.close", 4009)


async def test_a_binary_frame_over_64_kb_closes_with_4009(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    await socket.send_to(bytes_data=b"x" * 70_000)
    assert await closed_with(socket) == ("websocket.close", 4009)


async def test_a_member_too_fast_is_slowed_down(waiting_chat, visitor_key, settings):
    settings.LIVECHAT_RATE_LIMIT = (2, 10)
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)
    for n in range(3):
        await socket.send_json_to({"type": "say", "body": f"m{n}", "client_id": f"m{n}"})
    # The refusal is answered at once; the two allowed come once they are stored.
    frames = [await socket.receive_json_from() for _ in range(3)]
    assert [f["type"] for f in frames] == ["error", "message", "message"]
    assert frames[0]["code"] == "slow_down"
    await socket.disconnect()


async def test_a_waiting_member_sees_the_queue_move(waiting_chat, visitor_key, agent_key):
    earlier = waiting_chat.created - timedelta(seconds=1)
    first = await sync_to_async(open_chat)("First", session_key="s-first", now=earlier)
    socket = await connect(path(waiting_chat), visitor_key)
    assert (await hello(socket))[-1]["position"] == 2
    console = await open_console(agent_key, socket)
    await console.send_json_to({"type": "accept", "chat": str(first.pk)})
    assert (await socket.receive_json_from())["position"] == 1
    await console.disconnect()
    await socket.disconnect()


async def test_an_accepted_members_socket_leaves_the_queues_work(
    waiting_chat, visitor_key, agent_key, settings, monkeypatch
):
    settings.LIVECHAT_ABANDON_AFTER = timedelta(seconds=0.4)  # a heartbeat every 0.1 s
    seen = []
    chat_seen = services.chat_seen
    monkeypatch.setattr(services, "chat_seen", lambda **kw: seen.append(1) or chat_seen(**kw))
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)
    console = await open_console(agent_key, socket)
    await console.send_json_to({"type": "accept", "chat": str(waiting_chat.pk)})
    await console.receive_json_from()  # the queue, now empty
    frames = [await socket.receive_json_from() for _ in range(2)]
    assert [f["type"] for f in frames] == ["message", "state"]
    assert frames[1]["state"] == "active"
    seen.clear()
    await sync_to_async(open_and_publish)("Next", "s-next")
    # What reached the socket, if anything did, so that a failure says which frame it was.
    arrived = None if await socket.receive_nothing(timeout=0.3) else await socket.receive_from()
    assert arrived is None
    assert WAITING_GROUP not in get_channel_layer().groups
    await socket.disconnect()
    assert seen == []
    await console.disconnect()


async def test_a_queue_move_read_before_the_accept_does_not_put_the_member_back_in_line(
    waiting_chat, visitor_key, agent_key
):
    # The waiting members' states are read, then sent: a read made just before an accept
    # (an agent's console opening) can reach the member's channel after the accept's own
    # `active`, while the socket still hears the queue.
    layer = get_channel_layer()
    socket = await connect(path(waiting_chat), visitor_key)
    [_, waiting] = await hello(socket)
    [member_channel] = layer.groups[WAITING_GROUP]
    console = await open_console(agent_key, socket)
    await console.send_json_to({"type": "accept", "chat": str(waiting_chat.pk)})
    frames = [await socket.receive_json_from() for _ in range(2)]
    assert frames[1]["state"] == "active"
    stale = {"type": "queue.moved", "states": {str(waiting_chat.pk): waiting}}
    await layer.send(member_channel, stale)
    assert await socket.receive_nothing(timeout=0.3)
    assert (await hello(socket, after=2))[-1]["state"] == "active"
    await console.disconnect()
    await socket.disconnect()


async def test_one_beat_keeps_every_waiting_page_of_the_process_seen(
    waiting_chat, visitor_key, settings, monkeypatch
):
    settings.LIVECHAT_ABANDON_AFTER = timedelta(seconds=0.4)  # a beat every 0.1 s
    beats = []
    chats_seen = services.chats_seen
    monkeypatch.setattr(
        services, "chats_seen", lambda **kw: beats.append(set(kw["chat_ids"])) or chats_seen(**kw)
    )
    other_key = await sync_to_async(session_of)()
    other = await sync_to_async(open_chat)("Olga", session_key=other_key, now=timezone.now())
    sockets = [
        await connect(path(waiting_chat), visitor_key),
        await connect(path(other), other_key),
    ]
    for socket in sockets:
        await hello(socket)
    beats.clear()
    async with asyncio.timeout(3):  # two beats, however loaded the machine
        while len(beats) < 2:
            await asyncio.sleep(0.05)
    assert all(beat == {waiting_chat.pk, other.pk} for beat in beats)  # one trip for both
    for socket in sockets:
        await socket.disconnect()
    await asyncio.sleep(0.2)  # a beat under way at the disconnect lands here
    beats.clear()
    await asyncio.sleep(0.3)
    assert beats == []  # no page open: no beat


async def test_it_sends_each_message_once_across_the_reconnect_race(waiting_chat, visitor_key):
    """A message committed after the socket joined the group but before it read the
    backlog arrives both ways; one stored but never announced arrives from the database."""
    layer = get_channel_layer()
    socket = await connect(path(waiting_chat), visitor_key)

    async def store_and_announce(body, announce=True):
        update = await sync_to_async(chat_say)(
            chat=waiting_chat, author="member", name="Vic", body=body, client_id=body, now=T0
        )
        frame = update.messages[0].to_frame()
        if announce:
            await layer.group_send(waiting_chat.group, {"type": "chat.message", "frame": frame})
        return frame

    await store_and_announce("between join and backlog")
    frames = await hello(socket)
    await layer.group_send(waiting_chat.group, {"type": "chat.message", "frame": frames[1]})
    await store_and_announce("dropped by the layer", announce=False)
    await store_and_announce("announced")
    frames += [await socket.receive_json_from() for _ in range(2)]
    assert await socket.receive_nothing()
    assert [f.get("seq") for f in frames] == [1, 2, None, 3, 4]
    await socket.disconnect()


async def test_a_batch_of_said_messages_heals_its_gap_and_drops_what_was_sent(
    waiting_chat, visitor_key
):
    """A `chat.said` event (a committed batch, frames serialised once) goes through the
    socket's cursor like any message: the text sent as it is, missed seqs read from the
    database first, seqs sent already dropped."""
    layer = get_channel_layer()
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)

    async def store(body):
        update = await sync_to_async(chat_say)(
            chat=waiting_chat, author="member", name="Vic", body=body, client_id=body, now=T0
        )
        return update.messages[0].to_frame()

    def said(*frames):
        return {
            "type": "chat.said",
            "seqs": [f["seq"] for f in frames],
            "texts": [encoded({**f, "body": f"{f['body']} (as told)"}) for f in frames],
        }

    one = await store("one")
    await layer.group_send(waiting_chat.group, said(one))
    assert (await socket.receive_json_from())["body"] == "one (as told)"
    two, three = await store("two"), await store("three")
    await layer.group_send(waiting_chat.group, said(three))  # two's notification was lost
    assert [await socket.receive_json_from() for _ in range(2)] == [two, three]
    await layer.group_send(waiting_chat.group, said(one, two, three))
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_an_event_whose_handling_fails_ends_the_socket(waiting_chat, visitor_key):
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)
    broken = {"type": "chat.said", "seqs": [], "texts": []}
    await get_channel_layer().group_send(waiting_chat.group, broken)
    with pytest.raises(IndexError):  # the application's error, as Channels' loop raised it
        await socket.receive_output()


async def test_a_socket_cancelled_from_outside_ends_as_cancelled(waiting_chat, visitor_key):
    """The server's shutdown cancels the application: the socket's reader of events stops
    with it, and the cancellation is what the server sees."""
    socket = await connect(path(waiting_chat), visitor_key)
    await hello(socket)
    socket.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await socket.future


async def test_signing_out_closes_the_sockets_of_the_session(active_chat, agent):
    from django.test import Client

    client = Client()
    await sync_to_async(client.force_login)(agent)
    socket = await connect(path(active_chat), client.cookies["sessionid"].value)
    await hello(socket)
    await sync_to_async(client.post)("/accounts/logout/")
    assert await closed_with(socket) == ("websocket.close", 4403)
