"""helpdesk.socket_auth: a WebSocket's scope gets the cookies, session and user Channels'
AuthMiddlewareStack would give it."""

import pytest
from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from helpdesk.socket_auth import SocketAuthMiddleware

pytestmark = pytest.mark.django_db(transaction=True)


class Who(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()
        user, session = self.scope["user"], self.scope["session"]
        await self.send_json(
            {
                "user": user.get_username() if user.is_authenticated else None,
                "session": session.session_key,
                "cookies": self.scope["cookies"],
            }
        )


async def who(*cookie_headers: bytes) -> dict:
    headers = [(b"cookie", value) for value in cookie_headers]
    socket = WebsocketCommunicator(SocketAuthMiddleware(Who.as_asgi()), "/ws/", headers=headers)
    assert (await socket.connect())[0]
    answer = await socket.receive_json_from()
    await socket.disconnect()
    return answer


def signed_in(username="ada") -> tuple[User, str]:
    user = User.objects.create_user(username, password="pw-not-used-elsewhere")
    client = Client()
    client.force_login(user)
    return user, client.session.session_key


async def test_a_signed_in_browser_is_its_user_with_its_session_and_cookies():
    _, key = await sync_to_async(signed_in)()
    answer = await who(f"sessionid={key}; django_language=pl".encode())
    assert answer == {
        "user": "ada",
        "session": key,
        "cookies": {"sessionid": key, "django_language": "pl"},
    }


async def test_no_cookie_or_an_unknown_session_is_anonymous():
    assert await who() == {"user": None, "session": None, "cookies": {}}
    assert (await who(b"sessionid=not-a-session-key-at-all"))["user"] is None


async def test_a_session_from_before_a_password_change_is_anonymous():
    user, key = await sync_to_async(signed_in)()
    user.set_password("a-new-password-here")
    await sync_to_async(user.save)()
    assert (await who(f"sessionid={key}".encode()))["user"] is None


async def test_only_the_first_cookie_header_counts_as_channels_does():
    _, key = await sync_to_async(signed_in)()
    answer = await who(f"sessionid={key}".encode(), b"sessionid=someone-else")
    assert (answer["user"], answer["session"]) == ("ada", key)
