import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from helpdesk.asgi import application
from livechat.tests.helpers import open_chat


def session_of(user=None) -> str:
    """A browser session's key: a visitor's, or a signed-in user's."""
    if user is None:
        session = SessionStore()
        session.create()
        return session.session_key
    client = Client()
    client.force_login(user)
    return client.session.session_key


async def connect(path, session_key=None, origin=b"http://localhost"):
    headers = [(b"origin", origin)] if origin else []
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


# The console's frames about its agent (their status, the agents available), which come on
# connect and with every change of presence or of the chats held.
AGENT_FRAMES = ("status", "agents")


async def next_frame(console, timeout=1):
    """The console's next frame about the queue or a chat, past AGENT_FRAMES."""
    while (frame := await console.receive_json_from(timeout))["type"] in AGENT_FRAMES:
        pass
    return frame


async def settled(socket, timeout=0.3) -> list[dict]:
    """Every frame the socket has to say for now (a console's opening frames)."""
    frames = []
    while not await socket.receive_nothing(timeout):
        frames.append(await socket.receive_json_from())
    return frames


async def open_console(agent_key, *waiting):
    """An agent's console, past its queue frame; each waiting member's socket has heard the
    agent come online (a fresh estimate)."""
    console = await connect("/ws/console/", agent_key)
    assert (await next_frame(console))["type"] == "queue"
    for socket in waiting:
        # Waiting members' states go out once a burst of changes settles (notify.WAITING_SOON).
        state = await socket.receive_json_from(timeout=5)
        assert (state["state"], state["wait_seconds"]) == ("waiting", 0)
    return console


@pytest.fixture
def visitor_key(db):
    return session_of()


@pytest.fixture
def waiting_chat(visitor_key):
    return open_chat("Vic", session_key=visitor_key, now=timezone.now())


@pytest.fixture
def agent_key(agent):
    return session_of(agent)
