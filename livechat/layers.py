"""The channel layers: for the embedded profile Channels' in-memory layer without its
per-message overhead (one process); for production Redis pub/sub with a batch's events
published in one round trip.

Channels' InMemoryChannelLayer walks every channel and every group for expired entries on
each `receive` and `group_send`, makes a task and a deep copy of the message per
recipient, and yields inside `group_send`, so one busy publisher queues up behind its own
sends. Here a group send puts the one message on each member's queue at once, and expired
entries are swept at most once a second.

Each idle socket waits in `receive` on its channel, so the channel's state is held for as
long as the socket is open: an asyncio.Queue is four deques (3.3 KB); an Inbox is two
lists, mostly empty, and the one future its receive waits on (bench/FINDINGS.md,
idle_sockets).

The message is shared, not copied: a handler must never change an event it receives (the
chat's handlers only read them and send frames built from them).
"""

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Iterator

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

SWEEP_EVERY = 1.0  # seconds between two sweeps of expired messages and memberships


class Inbox:
    """One channel's messages not received yet, oldest first, as (expires, message), and
    the receives waiting for one, first come first served."""

    __slots__ = ("messages", "waiters")

    def __init__(self):
        self.messages: list[tuple[float, dict]] = []
        self.waiters: list[asyncio.Future] = []

    def put(self, item: tuple[float, dict], capacity: int) -> None:
        if len(self.messages) >= capacity:
            raise ChannelFull
        self.messages.append(item)
        self.wake()

    def wake(self) -> None:
        """Wake the first receive still waiting (it takes the message when it runs)."""
        while self.waiters:
            waiter = self.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    async def get(self) -> tuple[float, dict]:
        while not self.messages:
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                # Cancelled: as asyncio.Queue.get, pass a wake-up meant for it on.
                with contextlib.suppress(ValueError):
                    self.waiters.remove(waiter)
                if self.messages and waiter.done() and not waiter.cancelled():
                    self.wake()
                raise
        return self.messages.pop(0)

    def expired(self, now: float) -> Iterator[None]:
        """Drop the expired messages at the front, one step each."""
        while self.messages and self.messages[0][0] < now:
            self.messages.pop(0)
            yield

    @property
    def idle(self) -> bool:
        return not self.messages and not self.waiters


class LeanInMemoryChannelLayer(InMemoryChannelLayer):
    swept = 0.0

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self._put(channel, message, time.time() + self.expiry)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._sweep()
        inbox = self._inbox(channel)
        try:
            _, message = await inbox.get()
        finally:
            if inbox.idle and self.channels.get(channel) is inbox:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "message is not a dict"
        self._sweep()
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            # As the stock layer: a full channel misses the event (its client heals).
            with contextlib.suppress(ChannelFull):
                self._put(channel, message, expires)

    async def group_send_many(self, sends: list[tuple[str, dict]]) -> None:
        for group, message in sends:
            await self.group_send(group, message)

    def _inbox(self, channel) -> Inbox:
        inbox = self.channels.get(channel)
        if inbox is None:
            inbox = self.channels[channel] = Inbox()
        return inbox

    def _put(self, channel, message, expires):
        try:
            self._inbox(channel).put((expires, message), self.get_capacity(channel))
        except ChannelFull:
            raise ChannelFull(channel) from None

    def _sweep(self):
        now = time.monotonic()
        if now - self.swept >= SWEEP_EVERY:
            self.swept = now
            self._clean_expired()

    def _clean_expired(self):
        """The stock layer's sweep, over inboxes: a channel with an expired message leaves
        every group (its consumer is gone or stuck); group memberships expire."""
        now = time.time()
        for channel, inbox in list(self.channels.items()):
            for _ in inbox.expired(now):
                self._remove_from_groups(channel)
            if inbox.idle:
                del self.channels[channel]
        joined_before = int(now) - self.group_expiry
        for members in self.groups.values():
            for channel, joined in list(members.items()):
                if joined and joined < joined_before:
                    del members[channel]


class PipelinedRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis's pub/sub layer, plus `group_send_many`: a committed batch's events for
    all its chats in one pipelined write per shard.

    Each shard's `publish` holds a lock for its round trip, so a batch's events for 50
    chats went out one round trip after the other, however they were awaited: at half of
    the Redis profile's maximum the chats settled into a standing queue of over a second
    (bench/FINDINGS.md, chat_latency). This reaches into the layer's shards (its private
    `_get_layer`, `_get_shard`, `_redis`, `_lock`): channels_redis is pinned in
    requirements.lock, and tests/scaleout exercise this path against a real Redis."""

    async def group_send_many(self, sends: list[tuple[str, dict]]) -> None:
        layer = self._get_layer()
        by_shard = defaultdict(list)
        for group, message in sends:
            channel = layer._get_group_channel_name(group)
            by_shard[layer._get_shard(channel)].append((channel, self.serialize(message)))
        for shard, published in by_shard.items():
            async with shard._lock:
                shard._ensure_redis()
                pipeline = shard._redis.pipeline(transaction=False)
                for channel, data in published:
                    pipeline.publish(channel, data)
                await pipeline.execute()
