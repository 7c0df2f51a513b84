"""Per-socket bookkeeping, in plain code: what a client has seen, and how fast it talks."""

import time
from collections import deque


class Cursor:
    """The highest seq sent to one client, so each message reaches it exactly once.

    A socket joins its chat's group before it reads the backlog (else a message committed
    in between would be lost), so the same message may come from both: the cursor drops
    what was sent already and notices a gap (a notification the channel layer dropped)."""

    def __init__(self, seen: int):
        self.seen = seen

    def gap_before(self, seq: int) -> bool:
        return seq > self.seen + 1

    def fresh(self, frames: list[dict]) -> list[dict]:
        """The frames not sent yet, in order; they count as sent from now on."""
        return [
            frame for frame in sorted(frames, key=lambda f: f["seq"]) if self.take(frame["seq"])
        ]

    def take(self, seq: int) -> bool:
        """Whether the message `seq` is not sent yet; it counts as sent from now on (call in
        order of seq)."""
        if seq <= self.seen:
            return False
        self.seen = seq
        return True


class RateLimit:
    """At most `count` events in any `seconds`-long window."""

    # Two per socket, mostly idle: slots and a deque made on first use keep an idle
    # socket about 1.5 KB lighter (bench/FINDINGS.md, idle_sockets).
    __slots__ = ("clock", "count", "seconds", "times")

    def __init__(self, count: int, seconds: float, clock=time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self.times: deque[float] | None = None

    def allow(self) -> bool:
        now = self.clock()
        if self.times is None:
            self.times = deque()
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) >= self.count:
            return False
        self.times.append(now)
        return True


class LeftQueue:
    """The chats this process has seen leave the queue: one it saw waiting that a later
    queue frame no longer holds, or one accepted here. A chat never waits again, so an
    accept of one of these loses for sure and is answered without the database."""

    __slots__ = ("last", "left", "limit", "waiting")

    def __init__(self, limit: int = 10_000):
        self.left: dict[str, None] = {}  # ordered: the oldest are forgotten first
        self.limit = limit
        self.waiting: set[str] = set()
        self.last = None

    def saw(self, frame: dict) -> None:
        """Take in a console's `queue` frame (each one once, however many consoles)."""
        if frame is self.last:
            return
        self.last = frame
        waiting = {item["chat"] for item in frame["waiting"]}
        for chat in self.waiting - waiting:
            self.gone(chat)
        self.waiting = waiting

    def gone(self, chat: str) -> None:
        self.left[chat] = None
        if len(self.left) > self.limit:
            del self.left[next(iter(self.left))]

    def __contains__(self, chat: str) -> bool:
        return chat in self.left
