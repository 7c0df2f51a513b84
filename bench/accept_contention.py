"""accept_contention: accepts per second when 20 agents, each on the console socket, work the
same queue of 200 waiting chats: each accepts the oldest chat of the queue it last saw that
it has not tried yet, waits for the answer, and goes on until its queue is empty; double
accepts counted (a chat told `accepted` to two agents). SQLite and PostgreSQL. The reference
is the raw conditional UPDATE loop (bench/raw_accepts.py) on the same database with the same
workload.

Agents hold as many chats as they win (capacity lifted), and waiting members are not
abandoned during the run (their pages are not open here).

    python -m bench.accept_contention
"""

import asyncio
import json
import statistics
import time

from bench.clients import Clients, Together, split
from bench.console_queue import ConsoleQueue
from bench.conversations import End, open_end
from bench.engines import postgresql
from bench.measure import percentile
from bench.portal import Portal
from bench.results import Result, attempt, report

AGENTS = 20
CHATS = 200
CLIENT_PROCESSES = 2
ENV = {"DJANGO_LIVECHAT_AGENT_CAPACITY": str(CHATS), "DJANGO_LIVECHAT_ABANDON_SECONDS": "3600"}


class _Console:
    """One agent's console: the queue as last seen (kept as the console page keeps it,
    from the whole queue and its deltas), and the answer to its one accept."""

    def __init__(self, socket):
        self.socket = socket
        self.queue = ConsoleQueue()
        self.answer: asyncio.Future | None = None
        self.ready = asyncio.Event()

    async def read(self) -> None:
        async for raw in self.socket:
            frame = json.loads(raw)
            if frame["type"] in ("queue", "queue_change"):
                if not self.queue.apply(frame):
                    await self.socket.send(json.dumps({"type": "hello"}))
                if frame["type"] == "queue":
                    self.ready.set()
            elif frame["type"] in ("accepted", "error") and self.answer is not None:
                self.answer.set_result(frame.get("code", "accepted"))

    async def work(self) -> tuple[list[str], list[float]]:
        """Accept until nothing is left to try; answer the chats won and each accept's
        milliseconds from the frame sent to its answer."""
        won, tried, took = [], set(), []
        while (chat := next((c for c in self.queue.waiting if c not in tried), None)) is not None:
            tried.add(chat)
            self.answer = asyncio.get_running_loop().create_future()
            sent = time.monotonic()
            await self.socket.send(json.dumps({"type": "accept", "chat": chat}))
            if await asyncio.wait_for(self.answer, 60) == "accepted":
                won.append(chat)
            took.append((time.monotonic() - sent) * 1000)
            self.answer = None
        return won, took


async def _agents(ends: list[End], together: Together) -> dict:
    consoles = [_Console(await open_end(end)) for end in ends]
    readers = [asyncio.create_task(console.read()) for console in consoles]
    for console in consoles:
        await asyncio.wait_for(console.ready.wait(), 60)
    await together.ready()
    started = time.monotonic()
    worked = await asyncio.gather(*(console.work() for console in consoles))
    finished = time.monotonic()
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*(console.socket.close() for console in consoles))
    return {
        "won": [chat for chats_won, _ in worked for chat in chats_won],
        "took": [ms for _, took in worked for ms in took],
        "span": (started, finished),
    }


def _race(portal: Portal, agents: int, chats: int) -> dict:
    sessions = portal.seed("agents", str(agents))
    portal.seed("chats", str(chats))
    ends = [End(portal.ws_url("/ws/console/"), session) for session in sessions]
    with Clients(_agents, split(ends, CLIENT_PROCESSES)) as clients:
        clients.together.wait_ready()
    won = [chat for result in clients.results for chat in result["won"]]
    took = [ms for result in clients.results for ms in result["took"]]
    started = min(result["span"][0] for result in clients.results)
    finished = max(result["span"][1] for result in clients.results)
    return {
        "per_second": len(set(won)) / (finished - started),
        "double": len(won) - len(set(won)),
        "taken": len(set(won)),
        "p99": percentile(took, 99),
    }


def _reference(portal: Portal, agents: int, chats: int) -> dict:
    """The raw loop, three times (it is short and noisy): the median rate, every double."""
    runs = [portal.python("bench.raw_accepts", str(agents), str(chats)) for _ in range(3)]
    return {
        "per_second": statistics.median(run["per_second"] for run in runs),
        "double": sum(run["double"] for run in runs),
    }


def _results(engine: str, got: dict, reference: dict, chats: int) -> list[Result]:
    name = f"accept_contention {engine}"
    return [
        Result(
            f"{name} accepts/s",
            got["per_second"],
            "accepts/s",
            "raw conditional UPDATE loop",
            reference["per_second"],
            f"ratio >= 0.2, all {chats} taken",
            got["per_second"] >= 0.2 * reference["per_second"] and got["taken"] == chats,
        ),
        Result(
            f"{name} p99 accept",
            got["p99"],
            "ms",
            "-",
            None,
            "<= 50 ms",
            got["p99"] <= 50,
        ),
        Result(
            f"{name} double accepts",
            got["double"],
            "chats",
            "raw loop double accepts",
            reference["double"],
            "0",
            got["double"] == 0,
        ),
    ]


def _engine(engine: str, agents: int, chats: int, database_url="") -> list[Result]:
    with Portal(database_url=database_url, **ENV) as portal:
        got, reference = _race(portal, agents, chats), _reference(portal, agents, chats)
    return _results(engine, got, reference, chats)


def _postgresql(agents: int, chats: int) -> list[Result]:
    with postgresql() as database_url:
        return _engine("PostgreSQL", agents, chats, database_url)


def run(agents=AGENTS, chats=CHATS) -> list[Result]:
    return attempt("accept_contention SQLite", lambda: _engine("SQLite", agents, chats)) + attempt(
        "accept_contention PostgreSQL", lambda: _postgresql(agents, chats)
    )


if __name__ == "__main__":
    report(run())
