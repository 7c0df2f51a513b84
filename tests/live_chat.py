"""A portal under a real daphne process for the member-side socket tests, and what a person's
browser does against it: the pre-chat form, sign-in, the language switch (cookies kept)."""

import asyncio

from tests.scaleout.chat import Socket, open_chat
from tests.scaleout.conftest import Browser
from tests.servers import Daphne, manage, portal_env

QUESTION = "I cannot sign in to the portal: the page reloads every time I press the button."


def migrated_daphne(var_dir, **env: str) -> Daphne:
    """A started daphne process on a freshly migrated database of its own."""
    env = portal_env(var_dir, **env)
    manage(env, "migrate", "--noinput")
    return Daphne(env).start()


async def waiting_member(portal: Daphne, name="Visitor") -> tuple[Socket, str]:
    """A new chat from the pre-chat form and its member's socket, past hello: answer the
    socket and the chat's id (the chat is waiting)."""
    chat_id, cookie = await asyncio.to_thread(open_chat, portal.url, name)
    member = await Socket(portal.url, f"/ws/chat/{chat_id}/", cookie).open()
    await member.send({"type": "hello", "after": 0})
    frame = await member.receive_until(lambda f: f["type"] == "state")
    assert frame["state"] == "waiting"
    return member, chat_id


def nobody_available(frame: dict) -> bool:
    """A waiting member's state frame without an estimate: no agent is online and not away.
    A console closed by the test before may still count as online at a new member's hello;
    its going reaches the member within the 2 s of docs/protocol.md, like any other."""
    return frame["type"] == "state" and frame["wait_seconds"] is None


def start_portal(var_dir) -> Daphne:
    # The tests' clients send faster than a person may.
    env = portal_env(var_dir, DJANGO_LIVECHAT_RATE_MESSAGES="100000")
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    return Daphne(env).start()


class Person(Browser):
    """A browser with its cookies: it fills in forms and opens the chat sockets."""

    def __init__(self, base_url: str, language: str | None = None):
        super().__init__(base_url)
        self.language = language

    def headers(self) -> dict:
        # Not a Cookie header: urllib would then leave out the jar's cookies.
        return {"Accept-Language": self.language} if self.language else {}

    def cookie_header(self) -> str:
        cookies = [f"{c.name}={c.value}" for c in self.cookies]
        if self.language:
            cookies.append(f"django_language={self.language}")
        return "; ".join(cookies)

    def start_chat(self, name="Visitor", question=QUESTION):
        """Send the pre-chat form; answer the page it lands on (the chat's, or another)."""
        self.request("/chat/", headers=self.headers()).read()
        form = {"name": name, "email": "visitor@example.com", "member_id": "", "question": question}
        data = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **form}
        return self.request("/chat/", data, headers=self.headers())

    async def socket(self, path: str) -> Socket:
        return await Socket(self.base_url, path, self.cookie_header()).open()


def chat_id_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


async def hello(socket: Socket, after=0) -> list[dict]:
    """Say hello; answer the backlog and the state frame that ends it."""
    await socket.send({"type": "hello", "after": after})
    frames = [await socket.receive()]
    while frames[-1]["type"] != "state":
        frames.append(await socket.receive())
    return frames
