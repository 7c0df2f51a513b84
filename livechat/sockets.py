"""What both chat sockets share: bounded JSON frames, dispatch by type, errors as frames."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from livechat.errors import BadFrame, ChatError
from livechat.notify import broadcasts, send
from livechat.queue import session_group, user_group

FORBIDDEN = 4403  # DESIGN.md: anyone but the chat's member or agent
TOO_BIG = 1009  # RFC 6455: message too big


class ProtocolConsumer(AsyncJsonWebsocketConsumer):
    """Dispatch each frame to the method `handlers` names for its type. A frame over the
    limit closes the socket; any other fault answers an `error` frame and the socket
    stays usable."""

    handlers: dict[str, str] = {}

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
        if text_data is None:
            return await self.error(BadFrame())
        if len(text_data.encode()) > settings.LIVECHAT_MAX_FRAME:
            return await self.close(code=TOO_BIG)
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

    async def error(self, error: ChatError) -> None:
        await self.send_json({"type": "error", "code": error.code, "message": str(error.message)})

    async def write(self, service, **kwargs):
        """Run a write of livechat.services in the database thread, then tell everyone
        concerned (stored first, broadcast after). Answer the service's result."""
        result, events = await database_sync_to_async(_write_and_describe)(service, kwargs)
        await send(events)
        return result

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
        try:
            user.refresh_from_db()
        except ObjectDoesNotExist:
            return False
        return user.is_active and self.allowed()


def _write_and_describe(service, kwargs):
    result = service(**kwargs)
    updates = result if isinstance(result, list) else [result]
    return result, [event for update in updates for event in broadcasts(update)]
