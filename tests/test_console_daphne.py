"""The console's frames about its agent against a real daphne process with a real
`websockets` client: Away and Available (presence reaching waiting members), alerts
remembered, the chats held against the capacity, and a transfer between two agents."""

import asyncio

import pytest
import websockets

from bench.console_queue import ConsoleQueue
from tests.live_chat import migrated_daphne, nobody_available, waiting_member
from tests.scaleout.chat import Socket, agent_cookies

PRESENCE_WITHIN = 2.0  # seconds: the promise of docs/protocol.md


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    daphne = migrated_daphne(
        tmp_path_factory.mktemp("console-daphne"), DJANGO_LIVECHAT_AGENT_CAPACITY="1"
    )
    yield daphne
    daphne.stop()


def of_type(kind, **fields):
    return lambda f: f["type"] == kind and all(f.get(k) == v for k, v in fields.items())


async def console_of(portal, cookie) -> tuple[Socket, dict]:
    """An open console, past its opening frames; answer it and its first `status`."""
    console = await Socket(portal.url, "/ws/console/", cookie).open()
    await console.receive_until(of_type("queue"))
    status = await console.receive_until(of_type("status"))
    await console.receive_until(of_type("agents"))
    return console, status


async def second_agent(portal, first: Socket, cookie: str) -> tuple[Socket, dict]:
    """Another agent's console, opened while `first` is open; answer it and its entry in
    the `agents` frame `first` gets when it comes online (the demo agents share names)."""
    known = {a["id"] for f in first.frames if f["type"] == "agents" for a in f["agents"]}

    def newcomer(frame):
        return frame["type"] == "agents" and {a["id"] for a in frame["agents"]} - known

    console, _ = await console_of(portal, cookie)
    frame = await first.receive_until(newcomer, PRESENCE_WITHIN)
    [entry] = [a for a in frame["agents"] if a["id"] not in known]
    return console, entry


async def close_all(*sockets):
    for socket in sockets:
        await socket.send({"type": "end"}) if "/ws/chat/" in socket.url else None
        await socket.close()


async def test_away_leaves_the_online_count_at_once_and_refuses_new_chats(portal):
    member, chat_id = await waiting_member(portal)
    [cookie] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console, status = await console_of(portal, cookie)
    assert status == {"type": "status", "away": False, "alerts": False, "holding": 0, "capacity": 1}
    frame = await member.receive_until(of_type("state"), PRESENCE_WITHIN)
    assert frame["wait_seconds"] is not None

    await console.send({"type": "away", "away": True})
    await member.receive_until(nobody_available, PRESENCE_WITHIN)
    assert (await console.receive_until(of_type("status")))["away"] is True
    await console.send({"type": "accept", "chat": chat_id})
    assert (await console.receive_until(of_type("error")))["code"] == "away"

    # Remembered: the next visit opens Away.
    await console.close()
    console, status = await console_of(portal, cookie)
    assert status["away"] is True
    with pytest.raises(TimeoutError):
        await member.receive(timeout=0.5)  # an away agent's console coming back changes nothing

    await console.send({"type": "away", "away": False})
    frame = await member.receive_until(of_type("state"), PRESENCE_WITHIN)
    assert frame["wait_seconds"] is not None
    await console.send({"type": "accept", "chat": chat_id})
    assert (await console.receive_until(of_type("accepted")))["chat"] == chat_id
    await close_all(member, console)


async def test_alerts_are_remembered_per_agent_and_told_to_every_tab(portal):
    first, second = await asyncio.to_thread(agent_cookies, portal.env, 2)
    console, _ = await console_of(portal, first)
    tab, _ = await console_of(portal, first)
    other, _ = await console_of(portal, second)
    await console.send({"type": "alerts", "on": True})
    for socket in (console, tab):
        assert (await socket.receive_until(of_type("status")))["alerts"] is True
    await console.send({"type": "alerts", "on": "yes"})
    assert (await console.receive_until(of_type("error")))["code"] == "bad_frame"
    await close_all(console, tab)
    again, status = await console_of(portal, first)
    assert status["alerts"] is True
    await again.close()
    with pytest.raises(TimeoutError):
        await other.receive_until(of_type("status"), timeout=0.5)  # another agent's own
    await other.close()


async def test_the_chats_held_are_told_and_capacity_refuses_one_more(portal):
    first, _ = await waiting_member(portal, "First")
    second, second_id = await waiting_member(portal, "Second")
    [cookie] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console, _ = await console_of(portal, cookie)
    first_id = first.url.rstrip("/").rsplit("/", 1)[-1]
    await console.send({"type": "accept", "chat": first_id})
    status = await console.receive_until(of_type("status"))
    assert (status["holding"], status["capacity"]) == (1, 1)
    await console.send({"type": "accept", "chat": second_id})
    assert (await console.receive_until(of_type("error")))["code"] == "capacity"
    await first.send({"type": "end"})  # the member ends it: the agent holds none again
    assert (await console.receive_until(of_type("status")))["holding"] == 0
    await close_all(second, console)
    await first.close()


async def test_an_accept_tells_the_member_and_every_tab_of_the_agent_what_it_decided(portal):
    member, chat_id = await waiting_member(portal, "Winnie")
    [cookie] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console, _ = await console_of(portal, cookie)
    tab, _ = await console_of(portal, cookie)
    await console.send({"type": "alerts", "on": True})
    for socket in (console, tab):
        await socket.receive_until(of_type("status", alerts=True))
    await console.send({"type": "accept", "chat": chat_id})
    card = await console.receive_until(of_type("accepted"))
    assert (card["chat"], card["name"], card["visitor"]) == (chat_id, "Winnie", True)
    # The agent's status, from the decision (no console reads it): one chat held of one,
    # alerts still on; every console of theirs has it, and the queue without the chat.
    held = {"type": "status", "away": False, "alerts": True, "holding": 1, "capacity": 1}
    for socket in (console, tab):
        assert (await socket.receive_until(of_type("status"))) == held
    for socket in (console, tab):
        if not any(chat_id in f.get("left", ()) for f in socket.frames):
            await socket.receive_until(lambda f: chat_id in f.get("left", ()))
    joined = await member.receive_until(of_type("message", event="joined"))
    state = await member.receive_until(of_type("state"))
    assert (state["state"], state["position"], state["agent"]) == (
        "active",
        None,
        joined["params"]["agent"],
    )
    await close_all(member, console, tab)


async def test_a_chat_is_handed_to_another_agent_who_takes_it(portal):
    member, chat_id = await waiting_member(portal, "Vic")
    alex_cookie, blake_cookie = await asyncio.to_thread(agent_cookies, portal.env, 2)
    alex, _ = await console_of(portal, alex_cookie)
    blake, blake_entry = await second_agent(portal, alex, blake_cookie)
    await alex.send({"type": "accept", "chat": chat_id})
    await alex.receive_until(of_type("accepted"))
    room = await Socket(portal.url, f"/ws/chat/{chat_id}/", alex_cookie).open()
    await room.send({"type": "hello", "after": 0})
    await room.receive_until(of_type("state"))
    await member.receive_until(of_type("state", state="active"))

    await alex.send({"type": "transfer", "chat": chat_id, "to": blake_entry["id"]})
    offered = await alex.receive_until(of_type("offered"))
    assert offered == {"type": "offered", "chat": chat_id, "to": blake_entry["name"]}
    offer = await blake.receive_until(of_type("offer"))
    assert (offer["chat"], offer["name"], offer["to"]) == (chat_id, "Vic", blake_entry["name"])

    await blake.send({"type": "decline", "chat": chat_id})
    declined = await alex.receive_until(of_type("declined"))
    assert declined == {"type": "declined", "chat": chat_id, "by": blake_entry["name"]}
    await blake.send({"type": "take", "chat": chat_id})
    assert (await blake.receive_until(of_type("error")))["code"] == "not_offered"

    await alex.send({"type": "transfer", "chat": chat_id, "to": blake_entry["id"]})
    await blake.receive_until(of_type("offer"))
    await blake.send({"type": "take", "chat": chat_id})
    card = await blake.receive_until(of_type("accepted"))
    assert (card["chat"], card["name"], card["visitor"]) == (chat_id, "Vic", True)
    transferred = await alex.receive_until(of_type("transferred"))
    assert transferred == {"type": "transferred", "chat": chat_id, "to": blake_entry["name"]}
    note = await member.receive_until(of_type("message", author="system"))
    assert note["body"] == f"{blake_entry['name']} took over the chat."
    state = await member.receive_until(of_type("state"))
    assert (state["state"], state["agent"]) == ("active", blake_entry["name"])
    # The visitor's socket heard the same access check, and stays open.
    await member.send({"type": "say", "body": "Still there?", "client_id": "after-transfer"})
    said = await member.receive_until(of_type("message", client_id="after-transfer"))
    assert said["body"] == "Still there?"
    # Alex's own socket of the chat is closed for good: it is not Alex's any more.
    with pytest.raises(websockets.ConnectionClosed):
        await room.receive_until(lambda f: False, 5)
    assert room.ws.close_code == 4403
    await alex.send({"type": "transfer", "chat": chat_id, "to": blake_entry["id"]})
    assert (await alex.receive_until(of_type("error")))["code"] == "forbidden"
    await close_all(member, alex, blake)


async def test_a_chat_is_offered_only_to_an_available_agent(portal):
    member, chat_id = await waiting_member(portal)
    alex_cookie, blake_cookie = await asyncio.to_thread(agent_cookies, portal.env, 2)
    alex, _ = await console_of(portal, alex_cookie)
    blake, entry = await second_agent(portal, alex, blake_cookie)
    blake_id = entry["id"]
    await alex.send({"type": "accept", "chat": chat_id})
    await alex.receive_until(of_type("accepted"))
    await blake.send({"type": "away", "away": True})
    await alex.receive_until(
        lambda f: f["type"] == "agents" and blake_id not in [a["id"] for a in f["agents"]],
        PRESENCE_WITHIN,
    )
    await alex.send({"type": "transfer", "chat": chat_id, "to": blake_id})
    assert (await alex.receive_until(of_type("error")))["code"] == "unavailable"
    await close_all(member, alex, blake)


async def kept_queue(portal, cookie) -> tuple[Socket, ConsoleQueue]:
    """A console keeping its queue as the console page does, from its first `queue`."""
    console = await Socket(portal.url, "/ws/console/", cookie).open()
    queue = ConsoleQueue()
    queue.apply(await console.receive_until(of_type("queue")))
    return console, queue


async def follow(console: Socket, queue: ConsoleQueue, until, *, drop=()) -> None:
    """Apply the console's queue frames until `until(queue)` holds, asking for the whole
    queue when a revision was missed; the deltas of revisions in `drop` are lost."""
    while not until(queue):
        frame = await console.receive_until(of_type_in("queue", "queue_change"))
        if frame["type"] == "queue_change" and frame["revision"] in drop:
            continue
        if not queue.apply(frame):
            await console.send({"type": "hello"})


def of_type_in(*kinds):
    return lambda f: f["type"] in kinds


async def whole_queue(portal, cookie) -> list[str]:
    console, queue = await kept_queue(portal, cookie)
    await console.close()
    return queue.chats()


async def test_a_console_kept_by_deltas_holds_the_queue_a_fresh_console_gets(portal):
    watcher_cookie, agent_cookie = await asyncio.to_thread(agent_cookies, portal.env, 2)
    watcher, queue = await kept_queue(portal, watcher_cookie)
    first, first_id = await waiting_member(portal, "First")
    second, second_id = await waiting_member(portal, "Second")
    third, third_id = await waiting_member(portal, "Third")
    await follow(watcher, queue, lambda q: third_id in q.waiting)
    assert queue.chats()[-3:] == [first_id, second_id, third_id]  # oldest first

    agent, _ = await console_of(portal, agent_cookie)
    await agent.send({"type": "accept", "chat": second_id})
    await agent.receive_until(of_type("accepted"))
    await first.send({"type": "end"})
    await follow(watcher, queue, lambda q: not {first_id, second_id} & q.waiting.keys())
    assert queue.chats() == await whole_queue(portal, watcher_cookie)
    assert queue.chats()[-1] == third_id
    await close_all(second, third, agent, watcher)
    await first.close()


async def test_a_console_that_missed_a_change_asks_for_the_queue_and_heals(portal):
    [cookie] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console, queue = await kept_queue(portal, cookie)
    lost = queue.revision + 1  # the delta of the next change never reaches this console
    first, first_id = await waiting_member(portal, "Lost")
    second, second_id = await waiting_member(portal, "Next")
    await follow(console, queue, lambda q: second_id in q.waiting, drop={lost})
    # The gap was seen, the whole queue asked for: it holds the chat whose delta was lost.
    assert {first_id, second_id} <= queue.waiting.keys()
    assert console.frames[-1]["type"] == "queue"
    assert queue.revision >= lost + 1
    assert queue.chats() == await whole_queue(portal, cookie)
    await close_all(first, second, console)
