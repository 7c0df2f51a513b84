"""chat_throughput: messages per second delivered with 50 concurrent chats, each message
stored, then delivered to the chat's agent; lost and duplicated messages counted. The
reference is the bare `websockets` relay (bench/echo.py) under the same clients.

The member's per-socket rate limit is lifted for the run: it is there against one abusive
socket, and would hide the server's own limit.

    python -m bench.chat_throughput
"""

from bench.conversations import Conversation, End, Tally, converse
from bench.echo import EchoServer
from bench.portal import UNLIMITED, Portal
from bench.results import Result, report

CHATS = 50
SECONDS = 8.0
WINDOW = 4  # messages on their way per chat
# What the first measurement found, for chat_latency in the same run.
measured: dict[str, Tally] = {}


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


def maxima(chats=CHATS, seconds=SECONDS) -> tuple[Tally, Tally]:
    """The echo relay's and the portal's (in-memory layer, one process) closed-loop runs;
    measured once per run."""
    if "echo" not in measured:
        with EchoServer() as echo:
            measured["echo"] = converse(
                echo_conversations(echo, chats), duration=seconds, window=WINDOW
            )
        with Portal(**UNLIMITED) as portal:
            measured["portal"] = converse(
                portal_conversations(portal, chats), duration=seconds, window=WINDOW
            )
    return measured["echo"], measured["portal"]


def run(chats=CHATS, seconds=SECONDS) -> list[Result]:
    echo, portal = maxima(chats, seconds)
    name = f"chat_throughput ({chats} chats)"
    ratio = portal.per_second / echo.per_second
    return [
        Result(
            name,
            portal.per_second,
            "messages/s",
            "websockets echo relay",
            echo.per_second,
            "ratio >= 0.25",
            ratio >= 0.25,
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
    ]


if __name__ == "__main__":
    report(run())
