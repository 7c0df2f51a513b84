"""Threads that keep their database connection, for the chat's hot paths: Channels'
database_sync_to_async closes old connections around every call, which with
CONN_MAX_AGE = 0 opens the database again each time. The reader replays missed messages;
livechat.console decides accepts on one of its own (not behind the other work of
Channels' one database thread)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def _kept(function, args):
    try:
        return function(*args)
    except Exception:
        # A connection that stopped working (a database restart) is opened again next time.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        raise


def _close() -> None:
    connection.close()  # the thread's own connection (connections are per thread)


class KeptThread:
    """One thread, one kept connection: `await kept.run(function, *args)`."""

    every: list["KeptThread"] = []

    def __init__(self, name: str):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        KeptThread.every.append(self)

    def run(self, function, *args) -> asyncio.Future:
        """Run `function(*args)` on this thread; await the answer for its result. Handed to
        the thread at once, not when a task wrapping it first runs (an accept's decision
        starts before the loop serves the frames that arrived with it)."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self.executor, _kept, function, args)


reader = KeptThread("livechat-reader")
read = reader.run


def close_connection() -> None:
    """Let every kept connection go (a test database cannot be dropped while it is open)."""
    for kept in KeptThread.every:
        kept.executor.submit(_close).result(timeout=5)
