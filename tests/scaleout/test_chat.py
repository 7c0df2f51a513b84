"""A chat across processes: the member's socket on one daphne, the agent's on the other,
both through nginx; and F5, twenty agents accepting one chat at once."""

import asyncio
import json
import re

from tests.scaleout.chat import ChatClient, Socket, agent_cookies, open_chat, wait_until
from tests.servers import Daphne, manage, portal_env, shell


def in_queue(chat_id):
    """The frame that puts the chat in a console's queue: the whole queue, or its delta."""
    return lambda f: (
        (f["type"] == "queue" and chat_id in [w["chat"] for w in f["waiting"]])
        or (f["type"] == "queue_change" and chat_id in [w["chat"] for w in f["joined"]])
    )


def not_in_queue(chat_id):
    return lambda f: (
        (f["type"] == "queue" and chat_id not in [w["chat"] for w in f["waiting"]])
        or (f["type"] == "queue_change" and chat_id in f["left"])
    )


async def test_a_chat_across_two_processes_behind_nginx(cluster):
    a, b = cluster.upstreams
    agent, watcher = await asyncio.to_thread(agent_cookies, cluster.env, 2)
    console_b = await Socket(cluster.url, "/ws/console/", agent).open(want=b)
    console_a = await Socket(cluster.url, "/ws/console/", watcher).open(want=a)
    chat_id, visitor = await asyncio.to_thread(open_chat, cluster.url)
    for console in (console_a, console_b):
        await console.receive_until(in_queue(chat_id))
    member = await ChatClient(cluster.url, chat_id, visitor).start(want=a)
    await wait_until(lambda: member.state and member.state["state"] == "waiting", 10, "waiting")

    await console_b.send({"type": "accept", "chat": chat_id})
    accepted = await console_b.receive_until(lambda f: f["type"] in ("accepted", "error"))
    assert (accepted["type"], accepted["chat"]) == ("accepted", chat_id)
    for console in (console_a, console_b):
        await console.receive_until(not_in_queue(chat_id))
    helper = await ChatClient(cluster.url, chat_id, agent).start(want=b)
    await wait_until(lambda: member.state["state"] == "active", 10, "member sees the agent")
    assert member.state["agent"] == "Agent 0"

    await member.say("Hello from the member's process")
    await agent_said(helper, "Hello from the agent's process")
    await wait_until(lambda: len(member.seqs) == len(helper.seqs) == 4, 10, "both see 4")
    assert member.seqs == helper.seqs == [1, 2, 3, 4]
    assert (member.upstream, helper.upstream) == (a, b)
    for client in (member, helper):
        await client.stop()
    for console in (console_a, console_b):
        await console.close()
    member_log = cluster.daphne_at(a).log
    await wait_until(
        lambda: socket_log(member_log, chat_id) == ["ws.connect", "ws.close"], 5, "log"
    )


def socket_log(log, chat_id) -> list[str]:
    """The events the process logged (as JSON) for the chat's sockets, each with nginx's id."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("path") == f"/ws/chat/{chat_id}/"]
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in mine)
    return [line["event"] for line in mine]


async def agent_said(client: ChatClient, body: str) -> None:
    await client.say(body)
    await wait_until(lambda: not client.pending, 10, "the agent's message echoed")


async def accept_race(urls: list[str], env, logs) -> list[str]:
    """Open a chat, then have 20 agents' consoles (spread over `urls`) accept it at once;
    answer the 20 outcomes. Asserts the processes logged no error meanwhile."""
    before = [log.stat().st_size for log in logs]
    chat_id, _ = await asyncio.to_thread(open_chat, urls[0])
    cookies = await asyncio.to_thread(agent_cookies, env, 20)
    consoles = [
        await Socket(urls[i % len(urls)], "/ws/console/", cookie).open()
        for i, cookie in enumerate(cookies)
    ]
    assert len({(c.url, c.upstream) for c in consoles}) == 2  # both processes race
    for console in consoles:
        await console.receive_until(in_queue(chat_id))
    await asyncio.gather(*(c.send({"type": "accept", "chat": chat_id}) for c in consoles))
    answers = [
        await c.receive_until(lambda f: f["type"] in ("accepted", "error")) for c in consoles
    ]
    for console in consoles:
        await console.close()
    for log, size in zip(logs, before, strict=True):
        written = log.read_bytes()[size:].decode()
        assert "Traceback" not in written
    outcomes = [a["type"] if a["type"] == "accepted" else a["code"] for a in answers]
    stored = shell(
        env,
        "from livechat.models import Chat; "
        f"c = Chat.objects.get(pk='{chat_id}'); print(c.state, c.messages.count())",
    )
    assert stored.split() == ["active", "2"]  # the question and "... joined the chat."
    return outcomes


async def test_f5_twenty_agents_accept_one_chat_at_once_on_postgresql(cluster):
    outcomes = await accept_race([cluster.url], cluster.env, [d.log for d in cluster.daphnes])
    assert sorted(outcomes) == ["accepted"] + ["taken"] * 19


def test_one_agents_tabs_accepting_at_once_stay_within_capacity_on_postgresql(cluster):
    code = "from livechat.tests.helpers import tabs_race; print(tabs_race(8))"
    assert cluster.shell(code).strip() == "3"  # DJANGO_LIVECHAT_AGENT_CAPACITY's default


async def test_f5_twenty_agents_accept_one_chat_at_once_on_sqlite(tmp_path):
    # The embedded profile, two processes on one SQLite file (their in-memory channel layers
    # are not shared, which this race does not need: each answer goes to its own socket).
    env = portal_env(tmp_path)
    manage(env, "migrate", "--noinput")
    daphnes = [Daphne(env).start() for _ in range(2)]
    try:
        outcomes = await accept_race([d.url for d in daphnes], env, [d.log for d in daphnes])
    finally:
        for daphne in daphnes:
            daphne.stop()
    assert sorted(outcomes) == ["accepted"] + ["taken"] * 19


async def queue_race(urls: list[str], env, chats=10) -> tuple[list[str], int]:
    """Open `chats` chats, then have 20 agents' consoles (spread over `urls`) each accept
    every one of them in turn, as fast as the answers come; answer the chats each won (one
    list for all) and how many times the queue's revision moved meanwhile."""
    revision = "from livechat.models import QueueRevision; print(QueueRevision.current())"
    before = int(shell(env, revision))
    ids = [(await asyncio.to_thread(open_chat, urls[0], f"Race {n}"))[0] for n in range(chats)]
    cookies = await asyncio.to_thread(agent_cookies, env, 20)
    consoles = [
        await Socket(urls[i % len(urls)], "/ws/console/", cookie).open()
        for i, cookie in enumerate(cookies)
    ]

    async def work(console):
        won = []
        for chat_id in ids:
            await console.send({"type": "accept", "chat": chat_id})
            answer = await console.receive_until(lambda f: f["type"] in ("accepted", "error"))
            # capacity: an agent of the shared cluster may hold chats of earlier tests.
            assert answer["type"] == "accepted" or answer["code"] in ("taken", "capacity")
            won += [chat_id] if answer["type"] == "accepted" else []
        return won

    won = [
        chat_id for chats_won in await asyncio.gather(*map(work, consoles)) for chat_id in chats_won
    ]
    for console in consoles:
        await console.close()
    return won, int(shell(env, revision)) - before


def assert_each_taken_once(won: list[str], env, chats=10) -> None:
    assert len(won) == len(set(won)) == chats
    active = shell(
        env,
        "from livechat.models import Chat; "
        f"print(Chat.objects.filter(pk__in={won!r}, state='active', agent__isnull=False).count())",
    )
    assert int(active) == chats


async def test_twenty_agents_on_two_processes_take_each_of_ten_chats_once_on_postgresql(cluster):
    won, moved = await queue_race([cluster.url], cluster.env)
    assert_each_taken_once(won, cluster.env)
    # Each chat joined the queue once and left it once (earlier tests' chats may be
    # abandoned meanwhile by a console's sweep, moving it too).
    assert moved >= 2 * 10


async def test_twenty_agents_on_two_processes_take_each_of_ten_chats_once_on_sqlite(tmp_path):
    env = portal_env(tmp_path, DJANGO_LIVECHAT_AGENT_CAPACITY="10")
    manage(env, "migrate", "--noinput")
    daphnes = [Daphne(env).start() for _ in range(2)]
    try:
        won, moved = await queue_race([d.url for d in daphnes], env)
    finally:
        for daphne in daphnes:
            daphne.stop()
    assert_each_taken_once(won, env)
    assert moved == 2 * 10  # each chat joined the queue once and left it once
