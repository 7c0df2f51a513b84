"""The member's chat socket of docs/protocol.md (the console's is livechat.console): it
parses, authorises and delegates.

A write reads as consumer → the writer (a `say`: livechat.writer, in batches) or one
private helper here (the other writes, in the database thread) → the service's rules
(livechat.sql, livechat.services) → the broadcast of what it changed (livechat.notify)."""

import asyncio

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from livechat import reader, services
from livechat.cursor import Cursor, RateLimit
from livechat.errors import BadFrame, ChatError, SlowDown, TooLong
from livechat.events import localise, reader_language
from livechat.groups import WAITING_GROUP
from livechat.heartbeat import heartbeat
from livechat.models import Chat, Message
from livechat.notify import broadcasts_of
from livechat.presence_watch import watch
from livechat.sockets import FORBIDDEN, ProtocolConsumer, encoded, logger
from livechat.sql import Outcome, Say, texts_after
from livechat.waiting import state_frame
from livechat.writer import writer
from portal.access import is_agent

FLUSH_EVERY = 50  # frames of a replay between two passes of the loop (send_fresh)


class ChatConsumer(ProtocolConsumer):
    """/ws/chat/<uuid>/: the member's session and, once accepted, its agent."""

    handlers = {"hello": "hello", "say": "say", "typing": "typing", "end": "end"}

    async def connect(self):
        # Accept first: a close before accepting reaches the browser as a bare 403.
        await self.accept()
        self.chat_id = self.scope["url_route"]["kwargs"]["chat_id"]
        self.cursor, self.last_state, self.waiting = None, None, False
        self.unstored = 0  # messages handed to the writer, not yet committed
        chat, who, self.language = await database_sync_to_async(self._opened)()
        if who is None:
            return await self.close(code=FORBIDDEN)
        self.role, self.name = who
        self.rate = RateLimit(*settings.LIVECHAT_RATE_LIMIT)
        self.typing_pace = RateLimit(1, settings.LIVECHAT_TYPING_INTERVAL)
        await self.join_chat(chat)
        if self.role == Message.Author.MEMBER and chat.state == Chat.State.WAITING:
            await self.join(WAITING_GROUP)
            await self.tell(await self._seen())
            self.waiting = True
            heartbeat.add(self.chat_id)
            watch.waiting_joined()

    async def join_chat(self, chat: Chat) -> None:
        self.chat_group = chat.group
        await self.join(chat.group)
        await self.join_session()

    async def disconnect(self, code):
        if self.waiting:
            self.stop_heartbeat()
            # The abandon clock starts when the page goes.
            await self.tell(await self._seen())

    async def hello(self, content):
        after = content.get("after", 0)
        if type(after) is not int or after < 0:
            raise BadFrame
        # The group was joined at connect, so nothing committed from now on is missed.
        self.cursor, self.last_state = Cursor(after), None
        texts, state = await reader.read(self._since, after)
        await self.send_fresh(texts)
        await self.send_state(state)

    async def say(self, content):
        body, client_id = content.get("body"), content.get("client_id", "")
        if not isinstance(body, str) or not body.strip():
            raise BadFrame
        if not isinstance(client_id, str) or len(client_id) > 64:
            raise BadFrame
        if len(body) > settings.LIVECHAT_MAX_BODY:
            raise TooLong
        if not self.rate.allow() or self.unstored >= settings.LIVECHAT_MAX_UNCOMMITTED:
            raise SlowDown
        self.unstored += 1
        say = Say(self.chat_id, self.role, self.name, body, client_id, timezone.now())
        # Not awaited: the socket reads its next frame while the writer commits (_settled).
        writer.say(say, self, _settled)

    async def answer(self, outcome):
        """A refused message's error, or a resend's stored frame, to this socket alone."""
        if isinstance(outcome, ChatError):
            await self.error(outcome)
        else:
            await self.answer_resend(outcome.message.to_frame())

    async def untold(self, error):
        """A committed batch could not be told (the channel layer is down, the database
        could not be read): the socket closes, and its client reconnects and asks for what
        it missed, which the database holds."""
        logger.warning(
            "closing %s: a stored message could not be told (%r)", self.scope["path"], error
        )
        await self.close()

    async def typing(self, content):
        if self.typing_pace.allow():
            event = {"type": "chat.typing", "author": self.role, "sender": self.channel_name}
            await self.channel_layer.group_send(self.chat_group, event)

    async def end(self, content):
        await self.tell(await self._ended())

    # Group events -------------------------------------------------------------------------

    async def chat_message(self, event):
        if self.cursor is None:
            return  # before hello: the backlog will hold it
        if self.cursor.gap_before(event["frame"]["seq"]):
            await self.catch_up()  # a notification was lost: the database has it
        for frame in self.cursor.fresh([event["frame"]]):
            await self.send_json(localise(frame, self.language))

    async def chat_said(self, event):
        """Messages said in the chat, committed in one batch: consecutive seqs, each frame
        serialised once for every socket (said messages are no system lines: nothing to
        render in this reader's language)."""
        if self.cursor is None:
            return
        if self.cursor.gap_before(event["seqs"][0]):
            await self.catch_up()
        for seq, text in zip(event["seqs"], event["texts"], strict=True):
            if self.cursor.take(seq):
                # Straight to the ASGI send: Channels' two send methods only wrap the text.
                await self.base_send({"type": "websocket.send", "text": text})

    async def chat_state(self, event):
        await self.send_state(event["frame"])

    async def chat_typing(self, event):
        if self.cursor is not None and event["author"] != self.role:
            await self.send_json({"type": "typing", "author": event["author"]})

    async def queue_moved(self, event):
        watch.poke()
        if not self.waiting:
            # Read before the chat left the queue, and in this channel before the socket
            # stopped hearing the queue: an old place in line, not news (a chat never
            # returns to the queue).
            return
        # Absent: the chat has left the queue, which its own `chat.state` event tells.
        if (frame := event["states"].get(str(self.chat_id))) is not None:
            await self.send_state(frame)

    # Helpers ------------------------------------------------------------------------------

    async def answer_resend(self, frame):
        """Confirm a resent message to its sender alone: the stored frame, same seq, always
        (the first one may not have reached this socket yet: what it missed comes first)."""
        if self.cursor is not None and frame["seq"] > self.cursor.seen:
            await self.catch_up()
        await self.send_json(frame)

    async def catch_up(self):
        seen = self.cursor.seen
        await self.send_fresh(await reader.read(texts_after, self.chat_id, seen, self.language))

    async def send_fresh(self, texts: list[tuple[int, str]]):
        """Send what the client has not seen of (seq, frame's JSON) in order of seq.

        Each frame leaves as it is sent (helpdesk.transport); every FLUSH_EVERY frames
        the loop gets a pass, so that a replay of a thousand frames does not keep every
        other socket of the process waiting until it is all sent."""
        for n, (seq, text) in enumerate(texts, 1):
            if self.cursor.take(seq):
                await self.base_send({"type": "websocket.send", "text": text})
            if n % FLUSH_EVERY == 0:
                await asyncio.sleep(0)

    async def send_state(self, frame):
        """Send the chat's state to a client that said hello, when it changed; a chat out
        of the queue also leaves the queue's work."""
        if frame["state"] != Chat.State.WAITING:
            await self.leave_queue()
        if self.cursor is not None and frame != self.last_state:
            self.last_state = frame
            await self.send_json(frame)

    async def leave_queue(self):
        """The abandon clock and the queue's moves no longer concern a chat out of the
        queue: stop keeping it seen and stop hearing every queue change."""
        if self.waiting:
            self.stop_heartbeat()
            await self.leave(WAITING_GROUP)

    def stop_heartbeat(self):
        self.waiting = False
        heartbeat.discard(self.chat_id)
        watch.waiting_left()

    def allowed(self) -> bool:
        return self.authorise() is not None

    def _opened(self) -> tuple[Chat | None, tuple[str, str] | None, str]:
        """What a connect reads, in one trip to the database thread (under load every trip
        waits behind the other sockets'): the chat, who the scope's user is in it, and the
        language they read."""
        chat = Chat.objects.select_related("agent").filter(pk=self.chat_id).first()
        who = self.authorise(chat)
        return chat, who, reader_language(self.scope) if who is not None else ""

    def authorise(self, chat: Chat | None = None) -> tuple[str, str] | None:
        """Answer the role and name the scope's user has in this chat (read anew unless
        given), if any."""
        if chat is None:
            chat = Chat.objects.select_related("agent").filter(pk=self.chat_id).first()
        session = self.scope.get("session")
        user = self.scope["user"]
        role = chat and chat.role_of(user, session.session_key if session else None)
        if role == Message.Author.MEMBER:
            return role, chat.name
        if role == Message.Author.AGENT and is_agent(user):
            return role, services.agent_name(user)
        return None

    # The writes, each one trip to the database thread: load the chat, run the service,
    # read what to broadcast (after the service's commit).

    @database_sync_to_async
    def _ended(self):
        chat = Chat.objects.get(pk=self.chat_id)
        return broadcasts_of(services.chat_end(chat=chat, by=self.name, now=timezone.now()))

    @database_sync_to_async
    def _seen(self):
        chat = Chat.objects.get(pk=self.chat_id)
        return broadcasts_of(services.chat_seen(chat=chat, now=timezone.now()))

    def _since(self, seq):
        """The chat's messages after `seq`, then its state: a hello's one trip to the
        reader's kept connection."""
        return texts_after(self.chat_id, seq, self.language), self._state()

    def _state(self):
        return state_frame(
            Chat.objects.select_related("agent").get(pk=self.chat_id), timezone.now()
        )


def _settled(stored: list[tuple[ChatConsumer, Outcome]]) -> None:
    """The writer's outcomes of a committed batch, on the event loop (livechat.writer)."""
    for consumer, _ in stored:
        consumer.unstored -= 1
    task = asyncio.ensure_future(_tell(stored))
    _telling.add(task)  # the loop keeps only a weak reference to a task
    task.add_done_callback(_telling.discard)


_telling: set[asyncio.Task] = set()


async def _tell(stored: list[tuple[ChatConsumer, Outcome]]) -> None:
    """Each chat's new messages of the batch to its group in one `chat.said` event, each
    frame serialised once here rather than once per socket, and the batch's events in one
    call to the layer (over Redis one pipelined write); refusals and resends to their own
    sockets."""
    said: dict[str, tuple[list[int], list[str], set[ChatConsumer]]] = {}
    answers = []
    for consumer, outcome in stored:
        if isinstance(outcome, ChatError) or outcome.resent:
            answers.append((consumer, outcome))
            continue
        seqs, texts, senders = said.setdefault(consumer.chat_group, ([], [], set()))
        seqs.append(outcome.message.seq)
        texts.append(encoded(outcome.message.to_frame()))
        senders.add(consumer)
    sends = [
        (group, {"type": "chat.said", "seqs": seqs, "texts": texts})
        for group, (seqs, texts, _) in said.items()
    ]
    try:
        await get_channel_layer().group_send_many(sends)
    except Exception as error:
        for _seqs, _texts, senders in said.values():
            for consumer in senders:
                await consumer.untold(error)
    for consumer, outcome in answers:
        try:
            await consumer.answer(outcome)
        except Exception as error:
            await consumer.untold(error)
