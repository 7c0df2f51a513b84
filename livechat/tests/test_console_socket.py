"""/ws/console/ through WebsocketCommunicator: the queue, accept, taken, capacity."""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from livechat import notify, services
from livechat.models import Chat
from livechat.notify import publish
from livechat.services import chat_open
from livechat.tests.conftest import connect, next_frame, open_console, session_of
from tickets.services import ticket_submit

pytestmark = pytest.mark.django_db(transaction=True)


async def closed_with(socket):
    output = await socket.receive_output()
    await socket.disconnect()
    return output["type"], output.get("code")


def open_and_publish(name, session_key=None):
    update = chat_open(
        name=name,
        email="m@example.com",
        member_id="",
        question=f"{name} cannot log in",
        session_key=session_key or f"s-{name}",
        now=timezone.now(),
    )
    publish(update)
    return update.chat


async def test_it_is_for_agents_only(make_member):
    member = await sync_to_async(make_member)("silver")
    for key in (None, await sync_to_async(session_of)(member)):
        socket = await connect("/ws/console/", key)
        assert await closed_with(socket) == ("websocket.close", 4403)


async def test_it_lists_the_queue_oldest_first_and_live(waiting_chat, agent_key):
    console = await connect("/ws/console/", agent_key)
    first = await next_frame(console)
    assert first == {
        "type": "queue",
        "revision": first["revision"],
        "waiting": [
            {
                "chat": str(waiting_chat.pk),
                "name": "Vic",
                "question": "I cannot log in",
                "waiting_since": waiting_chat.created.isoformat(),
            }
        ],
    }
    newer = await sync_to_async(open_and_publish)("Nora")
    assert await next_frame(console) == {
        "type": "queue_change",
        "revision": first["revision"] + 1,
        "left": [],
        "joined": [
            {
                "chat": str(newer.pk),
                "name": "Nora",
                "question": "Nora cannot log in",
                "waiting_since": newer.created.isoformat(),
            }
        ],
    }
    await console.send_json_to({"type": "hello"})
    again = await next_frame(console)
    assert [item["chat"] for item in again["waiting"]] == [str(waiting_chat.pk), str(newer.pk)]
    assert again["revision"] == first["revision"] + 1
    await console.disconnect()


async def test_of_two_simultaneous_accepts_one_wins(waiting_chat, agent_key, make_agent):
    other_key = await sync_to_async(session_of)(await sync_to_async(make_agent)("blake"))
    alex = await connect("/ws/console/", agent_key)
    blake = await connect("/ws/console/", other_key)
    await next_frame(alex)
    await next_frame(blake)
    accept = {"type": "accept", "chat": str(waiting_chat.pk)}
    await alex.send_json_to(accept)
    await blake.send_json_to(accept)
    answers = []
    for socket in (alex, blake):
        frame = await next_frame(socket)
        while frame["type"] == "queue_change":
            frame = await next_frame(socket)
        answers.append(frame)
    assert sorted(a["type"] + ":" + a.get("code", "") for a in answers) == [
        "accepted:",
        "error:taken",
    ]
    winner = next(a for a in answers if a["type"] == "accepted")
    assert (winner["chat"], winner["name"]) == (str(waiting_chat.pk), "Vic")
    await alex.disconnect()
    await blake.disconnect()


async def test_the_member_learns_who_accepted(waiting_chat, visitor_key, agent_key):
    member = await connect(f"/ws/chat/{waiting_chat.pk}/", visitor_key)
    await member.send_json_to({"type": "hello", "after": 0})
    await member.receive_json_from()
    assert (await member.receive_json_from())["state"] == "waiting"
    console = await open_console(agent_key, member)
    await console.send_json_to({"type": "accept", "chat": str(waiting_chat.pk)})
    joined = await member.receive_json_from()
    assert (joined["author"], joined["body"]) == ("system", "Alex joined the chat.")
    state = await member.receive_json_from()
    assert (state["state"], state["position"], state["agent"]) == ("active", None, "Alex")
    await member.disconnect()
    await console.disconnect()


async def test_a_signed_in_members_card_says_who_they_are(agent_key, silver):
    def open_members_chat():
        ticket_submit(member=silver, language="en", summary="Blank page", description="x")
        chat = open_and_publish("Sylwia", session_key=session_of(silver))
        Chat.objects.filter(pk=chat.pk).update(user=silver)
        return chat

    chat = await sync_to_async(open_members_chat)()
    console = await connect("/ws/console/", agent_key)
    await next_frame(console)
    await console.send_json_to({"type": "accept", "chat": str(chat.pk)})
    card = await next_frame(console)
    # The chat from the decision, the member read on the accept thread.
    assert (card["type"], card["chat"], card["name"]) == ("accepted", str(chat.pk), "Sylwia")
    assert (card["visitor"], card["rank"], card["member_id"]) == (False, "Silver", "1000007")
    assert card["open_tickets"]["total"] == 1
    assert card["convert_refusal"] == ""  # a Silver member's chat may become a ticket
    await console.disconnect()


async def test_an_agent_at_capacity_is_told(agent_key, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 1
    first = await sync_to_async(open_and_publish)("First")
    second = await sync_to_async(open_and_publish)("Second")
    console = await connect("/ws/console/", agent_key)
    await next_frame(console)
    for chat in (first, second):
        await console.send_json_to({"type": "accept", "chat": str(chat.pk)})
    frames = [await next_frame(console) for _ in range(3)]
    answers = [f.get("code", f["type"]) for f in frames if f["type"] != "queue_change"]
    assert answers == ["accepted", "capacity"]
    await console.disconnect()


@pytest.mark.parametrize("frame", [{"type": "accept"}, {"type": "accept", "chat": "nope"}])
async def test_a_bad_accept_gets_an_error(frame, agent_key):
    console = await connect("/ws/console/", agent_key)
    await next_frame(console)
    await console.send_json_to(frame)
    assert (await next_frame(console))["code"] == "bad_frame"
    await console.disconnect()


async def test_an_accept_of_a_chat_seen_leaving_the_queue_is_refused_without_the_database(
    waiting_chat, agent_key, make_agent, monkeypatch
):
    other_key = await sync_to_async(session_of)(await sync_to_async(make_agent)("blake"))
    alex, blake = await open_console(agent_key), await open_console(other_key)
    accept = {"type": "accept", "chat": str(waiting_chat.pk)}
    await alex.send_json_to(accept)
    assert (await next_frame(blake))["left"] == [str(waiting_chat.pk)]  # it left the queue
    tried = []
    monkeypatch.setattr(services, "chat_accept", lambda **kw: tried.append(kw))
    await blake.send_json_to(accept)
    assert await next_frame(blake) == {
        "type": "error",
        "code": "taken",
        "message": "Another agent has taken this chat, or it is no longer waiting.",
    }
    assert tried == []
    await alex.disconnect()
    await blake.disconnect()


async def test_a_member_behind_hears_the_new_place_once_for_a_burst_of_accepts(
    agent_key, settings, monkeypatch
):
    monkeypatch.setattr(notify, "SETTLE", 0.5)  # the burst below lands well within it
    settings.LIVECHAT_AGENT_CAPACITY = 5
    ahead = [await sync_to_async(open_and_publish)(name) for name in ("First", "Second")]
    key = await sync_to_async(session_of)()
    behind = await sync_to_async(open_and_publish)("Third", key)
    member = await connect(f"/ws/chat/{behind.pk}/", key)
    await member.send_json_to({"type": "hello", "after": 0})
    await member.receive_json_from()  # the question
    assert (await member.receive_json_from())["position"] == 3
    console = await open_console(agent_key, member)
    # The agent coming online also wakes the presence watch, which reads the queue again.
    assert await member.receive_nothing(0.3)
    for chat in ahead:
        await console.send_json_to({"type": "accept", "chat": str(chat.pk)})
    assert [(await next_frame(console))["type"] for _ in range(4)].count("accepted") == 2
    state = await member.receive_json_from(timeout=2)
    assert (state["state"], state["position"]) == ("waiting", 1)
    assert await member.receive_nothing(0.7)  # one frame for both accepts
    await member.disconnect()
    await console.disconnect()
