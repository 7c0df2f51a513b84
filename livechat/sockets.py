"""What both chat sockets share: bounded JSON frames, dispatch by type, errors as frames,
the close codes of docs/protocol.md."""

import asyncio
import contextlib
import json
import logging
from functools import partial

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from livechat import frames
from livechat.errors import BadFrame, ChatError
from livechat.groups import session_group, user_group
from livechat.models import encoded
from livechat.notify import send

# The protocol's own close codes (docs/protocol.md). A client treats both as final: it
# does not reconnect. RFC 6455's 1009 would be the natural "too big", but autobahn (under
# daphne) accepts only 1000 and 3000-4999 from an application and answers 1011 instead.
FORBIDDEN = 4403  # anyone but the chat's member or agent, or a session that signed out
TOO_LARGE = 4009  # a frame over LIVECHAT_MAX_FRAME bytes, text or binary

logger = logging.getLogger("livechat")


class ProtocolConsumer(AsyncJsonWebsocketConsumer):
    """Dispatch each frame to the method `handlers` names for its type. A frame over the
    limit closes the socket; any other fault answers an `error` frame and the socket
    stays usable."""

    handlers: dict[str, str] = {}

    async def __call__(self, scope, receive, send):
        """Channels' AsyncConsumer.__call__ without its await_many_dispatch, which makes a
        task and an asyncio.wait for every frame and every group event: here this task
        reads the client's frames and one more reads the channel layer's events, for the
        life of the socket, and they take turns to handle what they read (one at a time,
        each source in order, as before). An event whose handling fails ends the socket
        as a failing frame does (daphne logs it and closes with 1011)."""
        self.scope, self.base_send, self.turn = scope, send, asyncio.Lock()
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        events = None
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            events = asyncio.ensure_future(self.events())
            events.add_done_callback(partial(_failed, asyncio.current_task()))
        try:
            while True:
                message = await receive()
                async with self.turn:
                    await self.dispatch(message)
        except StopConsumer:
            pass
        except asyncio.CancelledError:
            failure = _failure(events)
            if failure is None:
                raise  # cancelled from outside (the server's shutdown, a test's timeout)
            if not isinstance(failure, StopConsumer):
                raise failure from None
        finally:
            if events is not None:
                events.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await events

    async def events(self):
        while True:
            event = await self.channel_layer.receive(self.channel_name)
            async with self.turn:
                await self.dispatch(event)

    async def dispatch(self, message):
        """Channels' dispatch, without the `aclose_old_connections()` it awaits before every
        handler: a trip into the database thread for every frame and every group event,
        which costs more than a batched write. Safe here because no ORM work of these
        sockets runs outside database_sync_to_async (which closes old connections around
        each call itself) or the writer (whose connection is kept on purpose)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def join(self, *groups: str) -> None:
        """Join groups for the life of the socket (left again on disconnect)."""
        for group in groups:
            self.groups.append(group)
            await self.channel_layer.group_add(group, self.channel_name)

    async def leave(self, group: str) -> None:
        self.groups.remove(group)
        await self.channel_layer.group_discard(group, self.channel_name)

    async def join_session(self) -> None:
        """Close this socket when its session signs out (channels#1324), and check again
        when its user's account changes."""
        session = self.scope.get("session")
        if session is not None and session.session_key:
            await self.join(session_group(session.session_key))
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            await self.join(user_group(user.pk))

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > settings.LIVECHAT_MAX_FRAME:
            # A calm line, not a traceback: an oversized frame is the client's fault.
            logger.warning("closing %s: a frame of %d bytes", self.scope["path"], size)
            return await self.close(code=TOO_LARGE)
        if text_data is None:
            return await self.error(BadFrame())
        try:
            content = json.loads(text_data)
        except ValueError:
            return await self.error(BadFrame())
        handler = self.handlers.get(content.get("type")) if isinstance(content, dict) else None
        if handler is None:
            return await self.error(BadFrame())
        try:
            await getattr(self, handler)(content)
        except ChatError as error:
            await self.error(error)

    @classmethod
    async def encode_json(cls, content):
        return encoded(content)

    async def error(self, error: ChatError) -> None:
        await self.send_json(frames.error(error.code, error.message))

    async def tell(self, events: list[tuple[str, dict]]) -> None:
        """Broadcast the events of a committed write (livechat.notify.broadcasts)."""
        await send(events)

    def allowed(self) -> bool:
        """Answer whether the scope's user may use this socket (in the database thread)."""
        raise NotImplementedError

    async def session_ended(self, event):
        await self.close(code=FORBIDDEN)

    async def access_changed(self, event):
        if not await database_sync_to_async(self._still_allowed)():
            await self.close(code=FORBIDDEN)

    def _still_allowed(self) -> bool:
        user = self.scope["user"]
        if user.is_authenticated:  # a visitor's socket is allowed by its session alone
            try:
                user.refresh_from_db()
            except ObjectDoesNotExist:
                return False
            if not user.is_active:
                return False
        return self.allowed()


def _failed(consumer_task: asyncio.Task, events: asyncio.Task) -> None:
    """The channel layer's reader stopped on an error (or a StopConsumer): the consumer's
    own task is cancelled, and raises it (ProtocolConsumer.__call__)."""
    if _failure(events) is not None:
        consumer_task.cancel()


def _failure(events: asyncio.Task | None) -> BaseException | None:
    """What the channel layer's reader stopped on, if it stopped on an error."""
    if events is None or not events.done() or events.cancelled():
        return None
    return events.exception()
