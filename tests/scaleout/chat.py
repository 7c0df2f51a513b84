"""Clients of the chat's WebSocket protocol (docs/protocol.md) for the scale-out tests, on the
websockets library: what the member's page and the agent's console do, reconnecting with
hello/after and resending unconfirmed messages with the same client_id."""

import asyncio
import contextlib
import json
import re
import time
import uuid

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.edge import certificate
from tests.scaleout.conftest import Browser
from tests.servers import run_json

QUESTION = "I cannot sign in to the portal: the page reloads every time I press the button."


def agent_cookies(env: dict[str, str], count: int) -> list[str]:
    """Make `count` new agents, each signed in (as the benchmarks do); answer their Cookie
    headers."""
    return [f"sessionid={key}" for key in run_json(env, "bench.seed", "agents", str(count))]


def open_chat(base_url: str, name="Visitor") -> tuple[str, str]:
    """Fill in the pre-chat form as a visitor; answer the chat's id and the Cookie header."""
    browser = Browser(base_url)
    browser.request("/chat/").read()
    form = {"name": name, "email": "visitor@example.com", "member_id": "", "question": QUESTION}
    landed = browser.request("/chat/", {"csrfmiddlewaretoken": browser.cookie("csrftoken"), **form})
    chat_id = landed.url.rstrip("/").rsplit("/", 1)[-1]
    assert landed.url == f"{base_url}/chat/{uuid.UUID(chat_id)}/"
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    return chat_id, cookie


async def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.02)


class Socket:
    """A WebSocket through nginx (or straight to a daphne) with a browser's cookie."""

    def __init__(self, base_url: str, path: str, cookie: str):
        self.url = re.sub(r"^http", "ws", base_url) + path  # https: wss
        self.ssl = certificate().context if self.url.startswith("wss:") else None
        self.origin = base_url
        self.cookie = cookie
        self.ws = None
        self.upstream: str | None = None
        self.frames: list[dict] = []

    async def open(self, want: str | None = None, avoid: str | None = None, timeout=20.0):
        """Connect, retrying while no process answers; with `want`/`avoid`, until nginx
        puts the socket on (or off) that upstream."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                ws = await websockets.connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=3,
                    ssl=self.ssl,
                )
            except (OSError, TimeoutError, InvalidHandshake):
                ws = None
            upstream = ws.response.headers.get("X-Upstream") if ws else None
            if ws and (want in (None, upstream)) and (avoid is None or upstream != avoid):
                self.ws, self.upstream = ws, upstream
                return self
            if ws:
                await ws.close()
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not open {self.url} (want {want}, avoid {avoid})")
            await asyncio.sleep(0.1)

    async def send(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def receive(self, timeout=10.0) -> dict:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.frames.append(frame)
        return frame

    async def receive_until(self, predicate, timeout=10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.receive(max(deadline - time.monotonic(), 0.01))
            if predicate(frame):
                return frame

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


class ChatClient(Socket):
    """One side of a chat: keeps reading, records every message's seq, reconnects when the
    socket closes (asking for what it missed), resends what the server has not echoed."""

    def __init__(self, base_url: str, chat_id: str, cookie: str):
        super().__init__(base_url, f"/ws/chat/{chat_id}/", cookie)
        self.seqs: list[int] = []
        self.arrivals: list[float] = []  # time.monotonic() of each message, as seqs
        self.pending: dict[str, dict] = {}
        self.resent: set[str] = set()  # client_ids sent again after a reconnect
        self.state: dict | None = None
        self.errors: list[dict] = []
        self.connected_at: list[float] = []
        self.task: asyncio.Task | None = None

    @property
    def connections(self) -> int:
        return len(self.connected_at)

    @property
    def seen(self) -> int:
        return max(self.seqs, default=0)

    async def start(self, want=None, avoid=None) -> "ChatClient":
        await self.connect(want=want, avoid=avoid)
        self.task = asyncio.create_task(self._run())
        return self

    async def connect(self, want=None, avoid=None) -> None:
        await self.open(want=want, avoid=avoid)
        self.connected_at.append(time.monotonic())
        await self.send({"type": "hello", "after": self.seen})
        for client_id, frame in list(self.pending.items()):
            self.resent.add(client_id)
            await self.send(frame)

    async def say(self, body: str) -> str:
        client_id = str(uuid.uuid4())
        frame = {"type": "say", "body": body, "client_id": client_id}
        self.pending[client_id] = frame
        with contextlib.suppress(ConnectionClosed):  # resent after the reconnect
            await self.send(frame)
        return client_id

    async def drop(self) -> None:
        """Close the socket as a flaky network would; the reader reconnects."""
        await self.ws.close()

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.close()

    async def _run(self) -> None:
        while True:
            try:
                async for raw in self.ws:
                    self._take(json.loads(raw))
            except ConnectionClosed:
                pass
            await self._reconnect()

    async def _reconnect(self) -> None:
        # A process may accept the socket and close it at once (Redis down: it cannot join
        # the chat's group), so try until a hello goes through.
        while True:
            try:
                return await self.connect()
            except ConnectionClosed:
                await asyncio.sleep(0.1)

    def _take(self, frame: dict) -> None:
        if frame["type"] == "message":
            if frame["client_id"] in self.resent and frame["seq"] <= self.seen:
                return  # a resend's answer: the stored frame again (docs/protocol.md, say)
            self.seqs.append(frame["seq"])
            self.arrivals.append(time.monotonic())
            self.pending.pop(frame["client_id"], None)
        elif frame["type"] == "state":
            self.state = frame
        elif frame["type"] == "error":
            self.errors.append(frame)

    def first_message_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first message received after it."""
        return next((t - moment for t in self.arrivals if t > moment), None)


async def keep_saying(client: ChatClient, count: int, interval: float) -> list[str]:
    """Send `count` messages, one every `interval` s; answer their client_ids."""
    sent = []
    for i in range(count):
        sent.append(await client.say(f"Message {i + 1} of {count}"))
        await asyncio.sleep(interval)
    return sent


async def active_chat(cluster, agent_on: str | None = None) -> tuple[str, str, str]:
    """A chat accepted by a new agent (on the console of `agent_on`): answer its id and the
    member's and the agent's Cookie headers."""
    [agent] = await asyncio.to_thread(agent_cookies, cluster.env, 1)
    chat_id, visitor = await asyncio.to_thread(open_chat, cluster.url)
    console = await Socket(cluster.url, "/ws/console/", agent).open(want=agent_on)
    await console.send({"type": "accept", "chat": chat_id})
    answer = await console.receive_until(lambda f: f["type"] in ("accepted", "error"))
    assert answer["type"] == "accepted", answer
    await console.close()
    return chat_id, visitor, agent


STORED = """
import json
from livechat.models import Chat
chat = Chat.objects.get(pk="{chat_id}")
print(json.dumps([[m.seq, m.client_id] for m in chat.messages.order_by("seq")]))
"""


def stored_messages(shell, chat_id: str) -> list[list]:
    """[seq, client_id] of every message the database holds for the chat, by seq."""
    return json.loads(shell(STORED.format(chat_id=chat_id)))


async def settle(shell, chat_id, clients: list[ChatClient], sent: list[str]) -> int:
    """Wait until every client has seen every stored message; check that the database
    holds each sent message exactly once. Answer the last seq."""
    # What a client sent while its socket was down is resent after its reconnect: wait for
    # every confirmation before counting (a message never confirmed fails here).
    await wait_until(lambda: not any(c.pending for c in clients), 20, "every message confirmed")
    stored = await asyncio.to_thread(stored_messages, shell, chat_id)
    last = len(stored)
    assert [seq for seq, _ in stored] == list(range(1, last + 1))
    client_ids = [client_id for _, client_id in stored if client_id]
    assert sorted(client_ids) == sorted(sent)  # each once: none lost, none stored twice
    await wait_until(
        lambda: all(c.seen == last and not c.pending for c in clients), 20, "caught up"
    )
    for client in clients:
        assert client.seqs == list(range(1, last + 1))  # exactly once, in order
    return last


async def busy_chat(cluster, messages: int):
    """An active chat, its member on the first process and its agent on the second, the
    agent sending `messages` messages 0.1 s apart (the task answers their client_ids).
    Answers once the member reads along."""
    a, b = cluster.upstreams
    chat_id, visitor, agent = await active_chat(cluster, agent_on=b)
    member = await ChatClient(cluster.url, chat_id, visitor).start(want=a)
    helper = await ChatClient(cluster.url, chat_id, agent).start(want=b)
    sending = asyncio.create_task(keep_saying(helper, messages, interval=0.1))
    await wait_until(lambda: member.seen >= 10, 10, "the member reads along")
    return chat_id, member, helper, sending
