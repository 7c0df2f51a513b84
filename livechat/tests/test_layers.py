"""The embedded profile's channel layer (livechat.layers): what Channels' in-memory layer
promises, with an Inbox per channel instead of an asyncio.Queue."""

import asyncio

import pytest
from channels.exceptions import ChannelFull

from livechat.layers import LeanInMemoryChannelLayer


async def test_it_delivers_in_order_what_was_sent_before_the_receive():
    layer = LeanInMemoryChannelLayer()
    channel = await layer.new_channel()
    for n in range(3):
        await layer.send(channel, {"type": "m", "n": n})
    assert [(await layer.receive(channel))["n"] for _ in range(3)] == [0, 1, 2]
    assert layer.channels == {}  # nothing kept for a channel with nothing to receive


async def test_a_waiting_receive_gets_a_later_group_message():
    layer = LeanInMemoryChannelLayer()
    channel = await layer.new_channel()
    await layer.group_add("chat", channel)
    receive = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.group_send("chat", {"type": "m", "n": 1})
    assert (await asyncio.wait_for(receive, 1))["n"] == 1
    assert layer.channels == {}


async def test_a_full_channel_refuses_a_send_and_misses_a_group_message():
    layer = LeanInMemoryChannelLayer(capacity=2)
    channel = await layer.new_channel()
    await layer.group_add("chat", channel)
    await layer.send(channel, {"type": "m", "n": 0})
    await layer.group_send("chat", {"type": "m", "n": 1})
    with pytest.raises(ChannelFull):
        await layer.send(channel, {"type": "m", "n": 2})
    await layer.group_send("chat", {"type": "m", "n": 3})  # dropped, no error
    assert [(await layer.receive(channel))["n"] for _ in range(2)] == [0, 1]


async def test_a_receive_cancelled_after_its_wake_up_loses_no_message():
    """Woken by a send, then cancelled before it ran: the message waits for the next
    receive (a socket closing just as an event arrives)."""
    layer = LeanInMemoryChannelLayer()
    channel = await layer.new_channel()
    first = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.send(channel, {"type": "m", "n": 1})
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert (await asyncio.wait_for(layer.receive(channel), 1))["n"] == 1


async def test_a_wake_up_passes_to_the_next_receive_when_the_first_is_cancelled():
    layer = LeanInMemoryChannelLayer()
    channel = await layer.new_channel()
    first = asyncio.ensure_future(layer.receive(channel))
    second = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    await layer.send(channel, {"type": "m", "n": 1})
    first.cancel()
    assert (await asyncio.wait_for(second, 1))["n"] == 1
    assert layer.channels == {}


async def test_an_expired_message_is_dropped_and_its_channel_leaves_its_groups():
    layer = LeanInMemoryChannelLayer(expiry=0)
    stuck, fine = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("chat", stuck)
    await layer.group_add("chat", fine)
    await layer.send(stuck, {"type": "m"})
    await asyncio.sleep(0.01)
    waiting = asyncio.ensure_future(layer.receive(fine))  # sweeps
    await asyncio.sleep(0)
    assert stuck not in layer.channels
    assert list(layer.groups["chat"]) == [fine]
    waiting.cancel()
