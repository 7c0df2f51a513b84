"""chat_throughput: messages per second delivered with 50 concurrent chats, each message
stored, then delivered to the chat's agent; lost and duplicated messages counted, and the
rows stored compared with the messages delivered. The reference is the bare `websockets`
relay (bench/echo.py) under the same clients. Three rounds, the portal's and the relay's
interleaved (other work on the machine then costs both alike), the median of each kept.
Embedded (SQLite, the in-memory layer, one process), and PostgreSQL with Redis in two
processes (the member on one, the agent on the other).

The member's per-socket rate limit is lifted for the run: it is there against one abusive
socket, and would hide the server's own limit.

    python -m bench.chat_throughput
"""

from typing import NamedTuple

from bench.conversations import Conversation, End, Tally, converse
from bench.echo import EchoServer
from bench.engines import scaled_out
from bench.portal import UNLIMITED, Portal
from bench.results import Result, attempt, report

CHATS = 50
SECONDS = 8.0
ROUNDS = 3
WINDOW = 4  # messages on their way per chat
# What the first measurement found, for chat_latency in the same run.
measured: dict = {}


def echo_conversations(echo: EchoServer, count: int) -> list[Conversation]:
    paths = [echo.ws_url(f"/chat/{n}/") for n in range(count)]
    return [Conversation(End(path), End(path)) for path in paths]


def portal_conversations(portal: Portal, count: int) -> list[Conversation]:
    """`count` accepted chats: the member on the first daphne process, the agent on the
    last (the same one when there is one)."""
    conversations = []
    for chat, member, agent in portal.seed("conversations", str(count)):
        path = f"/ws/chat/{chat}/"
        conversations.append(
            Conversation(
                End(portal.ws_url(path, 0), member, hello=True),
                End(portal.ws_url(path, -1), agent, hello=True),
            )
        )
    return conversations


class Rounds(NamedTuple):
    """Closed-loop rounds of one server: the median round, and the totals of all."""

    median: Tally
    lost: int
    duplicated: int
    delivered: int
    rows: int | None = None  # messages stored by the portal (None for the relay)


def _of(tallies: list[Tally], rows: int | None = None) -> Rounds:
    return Rounds(
        sorted(tallies, key=lambda t: t.per_second)[len(tallies) // 2],
        sum(t.lost for t in tallies),
        sum(t.duplicated for t in tallies),
        sum(t.delivered for t in tallies),
        rows,
    )


def _rounds(portal: Portal, echo: EchoServer, chats: int, seconds: float, rounds: int):
    ours, theirs = portal_conversations(portal, chats), echo_conversations(echo, chats)
    portal_tallies, echo_tallies = [], []
    for _round in range(rounds):
        echo_tallies.append(converse(theirs, duration=seconds, window=WINDOW))
        portal_tallies.append(converse(ours, duration=seconds, window=WINDOW))
    return _of(echo_tallies), _of(portal_tallies, portal.seed("said"))


def maxima(chats=CHATS, seconds=SECONDS, rounds=ROUNDS) -> tuple[Tally, Tally]:
    """The echo relay's and the embedded portal's median closed-loop rounds; measured once
    per run (chat_latency paces itself at half of the portal's)."""
    if "echo" not in measured:
        with EchoServer() as echo, Portal(**UNLIMITED) as portal:
            measured["echo"], measured["portal"] = _rounds(portal, echo, chats, seconds, rounds)
    return measured["echo"].median, measured["portal"].median


def scaled_out_maxima(chats=CHATS, seconds=SECONDS, rounds=ROUNDS) -> tuple[Rounds, Rounds]:
    """The same for PostgreSQL + Redis in two processes, against its own relay rounds;
    measured once per run (chat_latency paces that profile at half of this maximum)."""
    if "scaled_out" not in measured:
        with EchoServer() as echo, scaled_out(**UNLIMITED) as portal:
            measured["scaled_out"] = _rounds(portal, echo, chats, seconds, rounds)
    return measured["scaled_out"]


def _figures(name: str, portal: Rounds, echo: Rounds, goal: float) -> list[Result]:
    ratio = portal.median.per_second / echo.median.per_second
    return [
        Result(
            name,
            portal.median.per_second,
            "messages/s",
            "websockets echo relay",
            echo.median.per_second,
            f"ratio >= {goal}",
            ratio >= goal,
        ),
        Result(
            f"{name} lost",
            portal.lost,
            "messages",
            "echo relay lost",
            echo.lost,
            "0",
            portal.lost == 0,
        ),
        Result(
            f"{name} duplicated",
            portal.duplicated,
            "messages",
            "echo relay duplicated",
            echo.duplicated,
            "0",
            portal.duplicated == 0,
        ),
        Result(
            f"{name} rows stored",
            portal.rows,
            "rows",
            "messages delivered",
            portal.delivered,
            "rows = delivered",
            portal.rows == portal.delivered,
        ),
    ]


def _scaled_out(chats: int, seconds: float, rounds: int) -> list[Result]:
    echo_tally, portal_tally = scaled_out_maxima(chats, seconds, rounds)
    name = f"chat_throughput ({chats} chats) PostgreSQL + Redis, 2 processes"
    return _figures(name, portal_tally, echo_tally, 0.1)


def run(chats=CHATS, seconds=SECONDS, rounds=ROUNDS) -> list[Result]:
    maxima(chats, seconds, rounds)
    name = f"chat_throughput ({chats} chats) embedded"
    embedded = _figures(name, measured["portal"], measured["echo"], 0.25)
    return embedded + attempt(
        "chat_throughput PostgreSQL + Redis", lambda: _scaled_out(chats, seconds, rounds)
    )


if __name__ == "__main__":
    report(run())
