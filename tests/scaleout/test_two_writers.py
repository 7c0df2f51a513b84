"""Two processes writing one chat at once on PostgreSQL: each process's writer batches its
side's messages, and the chat's seq stays one gapless sequence (UPDATE … RETURNING holds
the chat's row lock until each batch commits)."""

import asyncio

from tests.scaleout.chat import ChatClient, active_chat, wait_until
from tests.scaleout.test_faults import settle

EACH = 150  # messages from each side
BURST = 25  # sent at once, within the writer's per-socket cap of unstored messages


async def burst(client: ChatClient, side: str) -> list[str]:
    sent = []
    for start in range(0, EACH, BURST):
        ids = [await client.say(f"{side} {n}") for n in range(start, start + BURST)]
        sent += ids
        unstored = f"{side}'s burst stored"
        await wait_until(lambda ids=ids: not set(ids) & set(client.pending), 30, unstored)
    return sent


async def test_two_processes_write_one_chat_with_one_gapless_seq(cluster):
    a, b = cluster.upstreams
    chat_id, visitor, agent = await active_chat(cluster, agent_on=b)
    member = await ChatClient(cluster.url, chat_id, visitor).start(want=a)
    helper = await ChatClient(cluster.url, chat_id, agent).start(want=b)
    sent = await asyncio.gather(burst(member, "member"), burst(helper, "agent"))
    last = await settle(cluster.shell, chat_id, [member, helper], sent[0] + sent[1])
    assert last == 2 + 2 * EACH  # the question, "… joined", then every message once
    assert member.errors == helper.errors == []
    assert (member.upstream, helper.upstream) == (a, b)
    for client in (member, helper):
        await client.stop()
