"""Load clients as separate processes (fork), started together, each running one asyncio
loop; every run is bounded in time, and a process that overruns is killed."""

import asyncio
import queue
import traceback
from collections.abc import Callable, Coroutine, Sequence
from multiprocessing import get_context
from typing import Any

CONTEXT = get_context("fork")


class Together:
    """What a client process holds to line up with its siblings: `await together.ready()`
    returns once every process has opened its sockets; `await together.released()` once the
    parent says the held state may end (the parent measures in between)."""

    def __init__(self, processes: int):
        self._barrier = CONTEXT.Barrier(processes + 1)
        self._release = CONTEXT.Event()

    async def ready(self, timeout=120.0) -> None:
        await asyncio.to_thread(self._barrier.wait, timeout)

    async def released(self, timeout=300.0) -> None:
        await asyncio.to_thread(self._release.wait, timeout)

    def wait_ready(self, timeout=120.0) -> None:
        self._barrier.wait(timeout)

    def abort(self) -> None:
        self._barrier.abort()

    def release(self) -> None:
        self._release.set()


class ClientFailed(Exception):
    """A load client process failed; the message is its traceback."""


def _child(index, client, chunk, together, results, args) -> None:
    try:
        results.put((index, asyncio.run(client(chunk, together, *args))))
    except BaseException:
        together.abort()
        results.put((index, ClientFailed(traceback.format_exc())))


class Clients:
    """Run `client(chunk, together, *args)` in one process per chunk.

    with Clients(client, chunks, *args) as clients:
        clients.together.wait_ready()   # every process has opened its sockets
        ...                             # measure the server
        clients.together.release()
    clients.results                     # what each process answered
    """

    def __init__(
        self,
        client: Callable[..., Coroutine[Any, Any, Any]],
        chunks: Sequence,
        *args,
        timeout: float = 300.0,
    ):
        self.together = Together(len(chunks))
        self.timeout = timeout
        self.results: list = []
        self._queue = CONTEXT.Queue()
        self._processes = [
            CONTEXT.Process(
                target=_child, args=(index, client, chunk, self.together, self._queue, args)
            )
            for index, chunk in enumerate(chunks)
        ]

    def __enter__(self) -> "Clients":
        for process in self._processes:
            process.start()
        return self

    def __exit__(self, kind, *exc) -> None:
        self.together.release()
        try:
            self.results = self._collect(self.timeout if kind is None else 5.0)
        finally:
            for process in self._processes:
                process.join(5)
                if process.is_alive():
                    process.kill()
                    process.join()
        if kind is None and len(self.results) < len(self._processes):
            raise TimeoutError(f"load clients did not finish in {self.timeout} s")

    def _collect(self, timeout: float) -> list:
        results = []
        try:
            for _ in self._processes:
                results.append(self._queue.get(timeout=timeout))
        except queue.Empty:
            pass
        for _index, result in results:
            if isinstance(result, ClientFailed):
                raise result
        return [result for _index, result in sorted(results, key=lambda pair: pair[0])]


def split(items: Sequence, parts: int) -> list[list]:
    """Deal items into `parts` chunks, round robin (empty chunks dropped)."""
    chunks = [list(items[i::parts]) for i in range(parts)]
    return [chunk for chunk in chunks if chunk]
