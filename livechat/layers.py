"""The embedded profile's channel layer: Channels' in-memory layer without its
per-message overhead (one process; production uses Redis pub/sub).

Channels' InMemoryChannelLayer walks every channel and every group for expired entries on
each `receive` and `group_send`, makes a task and a deep copy of the message per
recipient, and yields inside `group_send`, so one busy publisher queues up behind its own
sends. Here a group send puts the one message on each member's queue at once, and expired
entries are swept at most once a second.

The message is shared, not copied: a handler must never change an event it receives (the
chat's handlers only read them and send frames built from them).
"""

import asyncio
import contextlib
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

SWEEP_EVERY = 1.0  # seconds between two sweeps of expired messages and memberships


class LeanInMemoryChannelLayer(InMemoryChannelLayer):
    swept = 0.0

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self._put(channel, message, time.time() + self.expiry)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._sweep()
        queue = self._queue(channel)
        try:
            _, message = await queue.get()
        finally:
            if queue.empty():
                self.channels.pop(channel, None)
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "message is not a dict"
        self._sweep()
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            # As the stock layer: a full channel misses the event (its client heals).
            with contextlib.suppress(ChannelFull):
                self._put(channel, message, expires)

    def _queue(self, channel) -> asyncio.Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    def _put(self, channel, message, expires):
        try:
            self._queue(channel).put_nowait((expires, message))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    def _sweep(self):
        now = time.monotonic()
        if now - self.swept >= SWEEP_EVERY:
            self.swept = now
            self._clean_expired()
