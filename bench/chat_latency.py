"""chat_latency: p50 and p99 milliseconds from a member's send to the agent's receipt, at half
of chat_throughput's maximum, spread over its 50 chats: with the in-memory layer (one daphne
process), and with Redis and PostgreSQL (two daphne processes, the member on one and the
agent on the other). The reference is the echo relay's p99 at the same rate.

    python -m bench.chat_latency
"""

from bench import chat_throughput
from bench.chat_throughput import CHATS, UNLIMITED, echo_conversations, portal_conversations
from bench.conversations import Tally, converse
from bench.echo import EchoServer
from bench.engines import scaled_out
from bench.portal import Portal
from bench.results import Result, report

SECONDS = 8.0
WINDOW = 1_000  # open loop: only a bound on what may be on its way
GOALS_MS = {"in-memory": 50, "Redis, 2 processes": 100}


def _paced(conversations, rate: float, seconds: float) -> Tally:
    return converse(conversations, duration=seconds, window=WINDOW, rate=rate)


def measure(chats=CHATS, seconds=SECONDS) -> tuple[float, Tally, dict[str, Tally]]:
    """Answer the total rate offered, the echo relay's tally and each layer's tally."""
    _, maximum = chat_throughput.maxima(chats, seconds)
    rate = maximum.per_second / 2
    per_chat = rate / chats
    with EchoServer() as echo:
        reference = _paced(echo_conversations(echo, chats), per_chat, seconds)
    layers = {}
    with Portal(**UNLIMITED) as portal:
        layers["in-memory"] = _paced(portal_conversations(portal, chats), per_chat, seconds)
    with scaled_out(**UNLIMITED) as portal:
        layers["Redis, 2 processes"] = _paced(
            portal_conversations(portal, chats), per_chat, seconds
        )
    return rate, reference, layers


def run(chats=CHATS, seconds=SECONDS) -> list[Result]:
    rate, reference, layers = measure(chats, seconds)
    results = []
    for layer, tally in layers.items():
        name = f"chat_latency {layer} at {rate:.0f} messages/s"
        goal = GOALS_MS[layer]
        results += [
            Result(f"{name} p50", tally.p(50), "ms", "echo relay p50", reference.p(50), "-", True),
            Result(
                f"{name} p99",
                tally.p(99),
                "ms",
                "echo relay p99",
                reference.p(99),
                f"<= {goal} ms",
                tally.p(99) <= goal and tally.lost == 0,
            ),
        ]
    return results


if __name__ == "__main__":
    report(run())
