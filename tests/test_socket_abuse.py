"""WebSocket abuse that livechat/tests does not already cover (origin, 4403 for anyone else,
4009, bad frames, slow_down and sign-out are proved there): a deactivated agent, an agent
who is no longer one, and a flood from one client while another chat goes on."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group, User
from django.utils import timezone

from livechat.models import Message
from livechat.services import chat_accept
from livechat.tests.conftest import connect, next_frame, session_of, settled
from livechat.tests.helpers import open_chat
from portal.access import AGENTS_GROUP

pytestmark = pytest.mark.django_db(transaction=True)

FLOOD = 1000


async def closed_within(socket, seconds=5):
    output = await socket.receive_output(timeout=seconds)
    await socket.disconnect()
    return output["type"], output.get("code")


async def hello(socket):
    await socket.send_json_to({"type": "hello", "after": 0})
    frames = [await socket.receive_json_from()]
    while frames[-1]["type"] != "state":
        frames.append(await socket.receive_json_from())
    return frames


def held_chat(agent, name="Vic"):
    """A chat opened by a visitor's session and taken by `agent`; answer it and the key."""
    key = session_of()
    chat = open_chat(name, session_key=key, now=timezone.now())
    return chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now()).chat, key


def deactivate(user):
    user.is_active = False
    user.save()


async def test_a_deactivated_agent_is_refused_at_connect(agent):
    chat, _ = await sync_to_async(held_chat)(agent)
    agent_key = await sync_to_async(session_of)(agent)
    await sync_to_async(deactivate)(agent)
    for path in ("/ws/console/", f"/ws/chat/{chat.pk}/"):
        socket = await connect(path, agent_key)
        assert await closed_within(socket) == ("websocket.close", 4403)


def leave_the_agents(user):
    user.groups.clear()


def lose_staff_status(user):
    user.is_staff = False
    user.save()


def group_loses(user):
    Group.objects.get(name=AGENTS_GROUP).user_set.remove(user)


def group_deleted(user):
    Group.objects.get(name=AGENTS_GROUP).delete()


@pytest.mark.parametrize(
    "change", [deactivate, leave_the_agents, lose_staff_status, group_loses, group_deleted]
)
async def test_an_agent_who_is_no_longer_one_loses_the_open_sockets(agent, change):
    chat, member_key = await sync_to_async(held_chat)(agent)
    agent_key = await sync_to_async(session_of)(agent)
    console = await connect("/ws/console/", agent_key)
    await settled(console)
    room = await connect(f"/ws/chat/{chat.pk}/", agent_key)
    await hello(room)
    member = await connect(f"/ws/chat/{chat.pk}/", member_key)
    await hello(member)
    await sync_to_async(change)(await User.objects.aget(pk=agent.pk))
    assert await closed_within(console) == ("websocket.close", 4403)
    assert await closed_within(room) == ("websocket.close", 4403)
    assert await member.receive_nothing()  # the member's socket stays open
    await member.disconnect()


async def test_an_agent_whose_account_changes_otherwise_keeps_the_console(agent):
    console = await connect("/ws/console/", await sync_to_async(session_of)(agent))
    await settled(console)
    renamed = await User.objects.aget(pk=agent.pk)
    renamed.first_name = "Alexandra"
    await renamed.asave()
    assert await console.receive_nothing(timeout=0.5)
    await console.send_json_to({"type": "accept", "chat": "not-a-uuid"})
    assert (await next_frame(console))["type"] == "error"  # still open, still heard
    await console.disconnect()


async def test_a_flood_from_one_client_is_limited_and_another_chat_is_not_slowed(agent, make_agent):
    flooded, flooder_key = await sync_to_async(held_chat)(agent, "Flood")
    quiet, quiet_key = await sync_to_async(held_chat)(await sync_to_async(make_agent)("b"), "Q")
    flooder = await connect(f"/ws/chat/{flooded.pk}/", flooder_key)
    await hello(flooder)
    member = await connect(f"/ws/chat/{quiet.pk}/", quiet_key)
    await hello(member)

    async def flood():
        for n in range(FLOOD):
            await flooder.send_json_to({"type": "say", "body": f"spam {n}", "client_id": f"f{n}"})
        return [await flooder.receive_json_from(timeout=10) for _ in range(FLOOD)]

    async def talk():
        sent = []
        for n in range(10):  # the member's own limit: 10 in 10 s
            await member.send_json_to({"type": "say", "body": f"q{n}", "client_id": f"q{n}"})
            frame = await member.receive_json_from(timeout=10)
            while frame["type"] != "message":  # e.g. the queue moved: a state frame
                frame = await member.receive_json_from(timeout=10)
            sent.append(frame)
        return sent

    answers, delivered = await asyncio.wait_for(asyncio.gather(flood(), talk()), timeout=60)
    kinds = [frame.get("code", frame["type"]) for frame in answers]
    assert kinds.count("message") == 10  # LIVECHAT_RATE_LIMIT: 10 in 10 s
    assert kinds.count("slow_down") == FLOOD - 10
    stored = Message.objects.filter(chat=flooded, client_id__startswith="f")
    assert await stored.acount() == 10
    assert [frame["body"] for frame in delivered] == [f"q{n}" for n in range(10)]
    assert [frame["seq"] for frame in delivered] == list(range(3, 13))
    await flooder.disconnect()
    await member.disconnect()


async def test_a_members_sockets_to_one_chat_share_one_message_limit(agent, settings):
    settings.LIVECHAT_RATE_LIMIT = (4, 10)
    chat, member_key = await sync_to_async(held_chat)(agent)
    tabs = [await connect(f"/ws/chat/{chat.pk}/", member_key) for _ in range(2)]
    for tab in tabs:
        await hello(tab)
    for n in range(4):  # four from each tab: each tab alone keeps within the limit
        for t, tab in enumerate(tabs):
            await tab.send_json_to({"type": "say", "body": "hi", "client_id": f"{t}-{n}"})
    answers = []
    for t, tab in enumerate(tabs):
        mine = []  # each say is answered on its own socket: its message, or an error
        while len(mine) < 4:
            frame = await tab.receive_json_from(timeout=10)
            if frame["type"] == "error" or frame.get("client_id", "").startswith(f"{t}-"):
                mine.append(frame["type"] if frame["type"] == "message" else frame["code"])
        answers += mine
        await tab.disconnect()
    assert sorted(answers) == ["message"] * 4 + ["slow_down"] * 4
    assert await Message.objects.filter(chat=chat, author="member").acount() == 1 + 4
