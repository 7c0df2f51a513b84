"""The production layer's batch send (livechat.layers.PipelinedRedisPubSubChannelLayer)
against a real redis-server: every event of a batch reaches its group's members, in
order, and only them."""

import asyncio

from livechat.layers import PipelinedRedisPubSubChannelLayer


async def test_a_batch_of_group_events_reaches_each_group_in_order(redis_server):
    sender = PipelinedRedisPubSubChannelLayer(hosts=[redis_server.url])
    listener = PipelinedRedisPubSubChannelLayer(hosts=[redis_server.url])  # another process
    one, two, neither = [await listener.new_channel() for _ in range(3)]
    await listener.group_add("chat_one", one)
    await listener.group_add("chat_two", two)
    await listener.group_add("chat_three", neither)
    await listener.group_discard("chat_three", neither)
    await sender.group_send_many(
        [
            ("chat_one", {"type": "chat.said", "seqs": [2]}),
            ("chat_three", {"type": "chat.said", "seqs": [1]}),
            ("chat_two", {"type": "chat.said", "seqs": [7]}),
            ("chat_one", {"type": "chat.said", "seqs": [3]}),
        ]
    )
    received = [(await asyncio.wait_for(listener.receive(one), 5))["seqs"] for _ in range(2)]
    assert received == [[2], [3]]
    assert (await asyncio.wait_for(listener.receive(two), 5))["seqs"] == [7]
    # Published before [3], which has arrived: chat_three's event would be here by now.
    assert listener.channels[neither].empty()
    await sender.flush()
    await listener.flush()
