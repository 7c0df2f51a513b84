"""The chat's socket promises against a real daphne process with a real `websockets`
client (the in-process communicator hides what autobahn does): an oversized frame's close
code, a resend's answer, and agent presence reaching waiting members."""

import asyncio
import time

import pytest
import websockets

from tests.live_chat import hello, migrated_daphne, nobody_available, waiting_member
from tests.scaleout.chat import Socket, agent_cookies
from tests.servers import manage

PRESENCE_WITHIN = 2.0  # seconds: the promise of docs/protocol.md


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    daphne = migrated_daphne(tmp_path_factory.mktemp("daphne-sockets"))
    yield daphne
    daphne.stop()


async def end(member: Socket) -> None:
    await member.send({"type": "end"})
    await member.receive_until(lambda f: f["type"] == "state" and f["state"] == "ended")
    await member.close()


@pytest.mark.parametrize("payload", ["x" * 70_000, b"x" * 70_000], ids=["text", "binary"])
async def test_a_frame_over_64_kb_closes_with_4009_and_one_calm_line(portal, payload):
    member, _ = await waiting_member(portal)
    logged = portal.log.stat().st_size
    await member.ws.send(payload)
    with pytest.raises(websockets.ConnectionClosed):
        await asyncio.wait_for(member.ws.recv(), 5)
    assert member.ws.close_code == 4009
    await asyncio.sleep(0.2)  # let daphne finish writing its log
    with open(portal.log, "rb") as log:
        log.seek(logged)
        written = log.read().decode()
    assert "Traceback" not in written
    assert "ERROR" not in written
    assert [line for line in written.splitlines() if "a frame of 70000 bytes" in line]


async def accepted_by_an_agent(portal, chat_id) -> tuple[str, Socket]:
    """An agent's cookie and console, past accepting the chat."""
    [agent] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console = await Socket(portal.url, "/ws/console/", agent).open()
    await console.send({"type": "accept", "chat": chat_id})
    await console.receive_until(lambda f: f["type"] == "accepted")
    return agent, console


async def test_a_resend_is_answered_with_the_stored_frame_to_its_sender_only(portal):
    member, chat_id = await waiting_member(portal)
    agent, console = await accepted_by_an_agent(portal, chat_id)
    helper = await Socket(portal.url, f"/ws/chat/{chat_id}/", agent).open()
    await helper.send({"type": "hello", "after": 0})
    await helper.receive_until(lambda f: f["type"] == "state")
    await member.receive_until(lambda f: f["type"] == "state" and f["state"] == "active")

    say = {"type": "say", "body": "Did this arrive?", "client_id": "c-1"}
    await member.send(say)
    stored = await member.receive_until(lambda f: f["type"] == "message")
    assert (await helper.receive_until(lambda f: f["type"] == "message")) == stored
    await member.send(say)
    again = await member.receive_until(lambda f: f["type"] == "message")
    assert again == stored
    assert again["seq"] == 3
    with pytest.raises(TimeoutError):
        await helper.receive(timeout=0.5)  # the agent hears it once
    await end(member)
    for socket in (helper, console):
        await socket.close()


async def next_estimate(member: Socket) -> tuple[float, int | None]:
    """Wait for the member's next `state` frame; answer how long it took and its estimate."""
    started = time.monotonic()
    frame = await member.receive_until(lambda f: f["type"] == "state", PRESENCE_WITHIN)
    return time.monotonic() - started, frame["wait_seconds"]


async def test_agent_presence_reaches_a_waiting_member_within_2_s(portal):
    member, _ = await waiting_member(portal)
    if not nobody_available(member.frames[-1]):
        await member.receive_until(nobody_available, PRESENCE_WITHIN)
    first, second = await asyncio.to_thread(agent_cookies, portal.env, 2)

    console = await Socket(portal.url, "/ws/console/", first).open()
    took, wait = await next_estimate(member)
    assert wait is not None
    assert took < PRESENCE_WITHIN

    # A second console of the same agent opens and closes: still online, nothing to say.
    tab = await Socket(portal.url, "/ws/console/", first).open()
    await tab.close()
    with pytest.raises(TimeoutError):
        await member.receive(timeout=0.5)

    await console.close()
    took, wait = await next_estimate(member)
    assert wait is None
    assert took < PRESENCE_WITHIN

    other = await Socket(portal.url, "/ws/console/", second).open()
    assert (await next_estimate(member))[1] is not None
    await other.close()
    assert (await next_estimate(member))[1] is None
    await end(member)


async def test_an_agent_whose_console_stops_beating_times_out_for_waiting_members(portal):
    [agent] = await asyncio.to_thread(agent_cookies, portal.env, 1)
    console = await Socket(portal.url, "/ws/console/", agent).open()
    await console.receive_until(lambda f: f["type"] == "queue")
    # As if the console's process had died: its last beat is 40 s old (online for 5 s more)
    # and its socket will close nothing.
    await asyncio.to_thread(
        manage,
        portal.env,
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from livechat.models import AgentPresence; "
        "AgentPresence.objects.update(seen_at=timezone.now() - timedelta(seconds=40))",
    )
    expires = time.monotonic() + 5  # at the latest (the shell's clock was read before)
    member, _ = await waiting_member(portal)
    assert member.frames[-1]["wait_seconds"] is not None
    frame = await member.receive_until(lambda f: f["type"] == "state", 5 + PRESENCE_WITHIN)
    assert frame["wait_seconds"] is None
    assert time.monotonic() < expires + PRESENCE_WITHIN
    await console.close()
    await end(member)


async def test_a_reconnect_replays_what_was_missed_in_order_in_the_readers_language(portal):
    member, chat_id = await waiting_member(portal)
    _agent, console = await accepted_by_an_agent(portal, chat_id)
    live = [await member.receive_until(lambda f: f["type"] == "message")]  # the agent joined
    for n in range(5):
        await member.send({"type": "say", "body": f"Line {n}", "client_id": f"r-{n}"})
        live.append(await member.receive_until(lambda f: f["type"] == "message"))
    await member.close()

    # The same member's page again, now read in Polish: after the question (seq 1).
    path = f"/ws/chat/{chat_id}/"
    again = await Socket(portal.url, path, member.cookie + "; django_language=pl").open()
    replayed = await hello(again, after=1)
    assert [f["type"] for f in replayed] == ["message"] * 6 + ["state"]
    assert [f["seq"] for f in replayed[:-1]] == list(range(2, 8))
    joined, *said = replayed[:-1]
    assert joined["event"] == "joined"
    assert joined["body"].endswith("dołącza do czatu.")
    assert live[0]["body"].endswith("joined the chat.")
    assert joined == {**live[0], "body": joined["body"]}
    assert said == live[1:]  # the same frames as sent live, field for field
    assert replayed[-1]["state"] == "active"
    await end(again)
    await console.close()
