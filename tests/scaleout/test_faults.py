"""The faults a chat across processes must survive (issue 6): F3, a process killed; F4,
Redis restarted; F1, clients reconnecting at random. Each client must see every message
exactly once, in order, and the database must hold exactly the messages sent. The
recovery times are printed (pytest -s shows them)."""

import asyncio
import random
import time

from tests.scaleout.chat import ChatClient, active_chat, busy_chat, keep_saying, settle


async def test_f3_the_members_process_is_killed_mid_chat(cluster):
    a, b = cluster.upstreams
    chat_id, member, helper, sending = await busy_chat(cluster, 50)
    killed = cluster.daphne_at(a)
    try:
        killed_at = time.monotonic()
        killed.process.kill()
        sent = await sending
        last = await settle(cluster.shell, chat_id, [member, helper], sent)
    finally:
        killed.start()
    reconnected = member.connected_at[1] - killed_at
    print(
        f"\nF3: member's process SIGKILLed; reconnected through nginx ({member.upstream}) "
        f"{reconnected:.2f} s after the kill, first message after "
        f"{member.first_message_after(killed_at):.2f} s; {last} messages, each once, in order"
    )
    assert member.connections == 2
    assert member.upstream.endswith(b)  # nginx: "A, B" when it tried the dead one first
    for client in (member, helper):
        await client.stop()


async def test_f4_redis_restarts_mid_chat(cluster):
    chat_id, member, helper, sending = await busy_chat(cluster, 80)
    restarted_at = time.monotonic()
    cluster.redis.restart()
    sent = await sending
    await member.say("Thanks, it works again")
    last = await settle(cluster.shell, chat_id, [member, helper], sent + list(member.pending))
    recoveries = {
        "member": member.first_message_after(restarted_at),
        "agent": helper.first_message_after(restarted_at),
    }
    print(
        f"\nF4: redis-server restarted; receiving again after member "
        f"{recoveries['member']:.2f} s, agent {recoveries['agent']:.2f} s (reconnections: "
        f"member {member.connections - 1}, agent {helper.connections - 1}); {last} messages"
    )
    assert all(seconds <= 10 for seconds in recoveries.values())
    for client in (member, helper):
        await client.stop()


async def flaky(client: ChatClient, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(0.2, 1.5))
        await client.drop()


async def chatty(client: ChatClient, until: float, rng: random.Random) -> list[str]:
    sent = []
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(0.3, 1.0))
        sent.append(await client.say("A member's message"))
    return sent


async def test_f1_twenty_clients_reconnect_at_random_while_messages_flow(cluster):
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    chat_id, visitor, agent = await active_chat(cluster)
    helper = await ChatClient(cluster.url, chat_id, agent).start()
    members = [await ChatClient(cluster.url, chat_id, visitor).start() for _ in range(20)]
    until = time.monotonic() + 8
    results = await asyncio.gather(
        keep_saying(helper, 80, interval=0.1),
        *(chatty(member, until, rng) for member in members[:4]),
        *(flaky(member, until, rng) for member in members),
    )
    sent = [client_id for result in results if result for client_id in result]
    last = await settle(cluster.shell, chat_id, [helper, *members], sent)
    reconnections = sum(member.connections - 1 for member in members)
    processes = {member.upstream for member in members}
    print(
        f"\nF1 (seed {seed}): 20 clients, {reconnections} reconnections over "
        f"{len(processes)} processes, {last} messages, each seen once, in order"
    )
    assert reconnections >= 20
    for client in (helper, *members):
        await client.stop()
