"""The chat's hot reads (a replay of missed messages) on one thread that keeps its
connection: Channels' database_sync_to_async closes old connections around every call,
which with CONN_MAX_AGE = 0 opens the database again for each replay."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="livechat-reader")


def _kept(function, args):
    try:
        return function(*args)
    except Exception:
        # A connection that stopped working (a database restart) is opened again next time.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        raise


async def read(function, *args):
    """Run `function(*args)` on the reader's thread; answer its result."""
    return await asyncio.get_running_loop().run_in_executor(_executor, _kept, function, args)


def close_connection() -> None:
    """Let the kept connection go (a test database cannot be dropped while it is open)."""
    _executor.submit(_close).result(timeout=5)


def _close() -> None:
    connection.close()  # the reader thread's own connection (connections are per thread)
