import json
import uuid
from datetime import datetime

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from livechat import events
from livechat.groups import chat_group
from portal.durations import StoredDurations, seconds_between


def agent_name(agent) -> str:
    """How an agent is named to members: the first name, else the username."""
    return agent.first_name or agent.get_username()


def stale_before(now: datetime) -> datetime:
    """The moment before which a waiting member's page counts as gone for good."""
    return now - settings.LIVECHAT_ABANDON_AFTER


class ChatQuerySet(models.QuerySet):
    def waiting(self, now: datetime):
        """The queue: waiting chats whose member is still (or recently) there, oldest first."""
        return self.filter(state=Chat.State.WAITING, seen_at__gte=stale_before(now)).order_by(
            "created", "id"
        )

    def stale(self, now: datetime):
        return self.filter(state=Chat.State.WAITING, seen_at__lt=stale_before(now))

    def offline(self):
        """The offline messages still to answer, oldest first."""
        return self.filter(state=Chat.State.OFFLINE).order_by("created", "id")

    def active_for(self, agent):
        return self.filter(state=Chat.State.ACTIVE, agent=agent)

    def open_for(self, *, session_key: str, user, now: datetime):
        """The chats a browser session, or a signed-in member on any device, has open,
        newest first. A waiting chat counts while its member counts as still there."""
        live = Q(state=Chat.State.ACTIVE) | Q(
            state=Chat.State.WAITING, seen_at__gte=stale_before(now)
        )
        return self.of_reader(session_key=session_key, user=user).filter(live).order_by("-created")

    def of_reader(self, *, session_key: str, user):
        """Every chat a member may open: their browser session's, and a signed-in member's
        own from any session (a member signs out, back in, and returns to the chat)."""
        mine = Q(session_key=session_key) if session_key else Q(pk__in=[])
        if user is not None and user.is_authenticated:
            mine |= Q(user=user)
        return self.filter(mine)


class Chat(StoredDurations, models.Model):
    """One Tech Support Chat: a member's question, the queue, then one agent's conversation."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        ABANDONED = "abandoned", _("Abandoned")
        # A question left while nobody could chat, then its answer by e-mail.
        OFFLINE = "offline", _("Message left")
        ANSWERED = "answered", _("Answered by e-mail")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.WAITING
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    member_id = models.CharField(_("member ID"), max_length=32, blank=True)
    question = models.TextField(_("question"))
    # The language the member is known to speak, for the "please file a ticket" reply.
    language = models.CharField(_("language"), max_length=8, blank=True)
    # The signed-in member who opened the chat (None for a visitor).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The chat belongs to the browser session that opened it (visitors have one too).
    session_key = models.CharField(max_length=40, db_index=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livechats",
    )
    created = models.DateTimeField(_("waiting since"), db_index=True)
    # Last time the member's page was known to be open: the abandon rule's clock.
    seen_at = models.DateTimeField(_("member last seen"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # The same durations in whole seconds, kept where the moments are stamped (the reports).
    wait_seconds = models.PositiveIntegerField(null=True, editable=False)
    handle_seconds = models.PositiveIntegerField(null=True, editable=False)
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    # When the transcript was e-mailed to the member (None: not yet, or nobody to send to).
    transcript_sent_at = models.DateTimeField(_("transcript sent"), null=True, blank=True)
    # The member's rating of the help, once per chat (1-5; 4 and 5 count as satisfied).
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    # The agent a transfer of this active chat is offered to, until they take or decline it.
    transfer_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Its agent took the ended chat's card off their console.
    dismissed = models.BooleanField(_("dismissed from the console"), default=False)
    # The ticket the chat became (at most one).
    ticket = models.OneToOneField(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat",
    )

    objects = ChatQuerySet.as_manager()
    # What durations() measures between (portal.durations.StoredDurations).
    MOMENTS = frozenset(("created", "accepted_at", "ended_at"))

    # The admin's "{count} chat transcripts", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s chat transcript", "%(count)s chat transcripts", "count")

    class Meta:
        verbose_name = _("chat transcript")
        verbose_name_plural = _("chat transcripts")
        ordering = ["-created"]
        # The reports' percentiles: the n-th duration of a group, read in order from the
        # index with the moment that puts the chat in the period (no table reads).
        indexes = [
            models.Index(fields=[*group, seconds, "created"], name=f"chat_{short}_{name}s")
            for seconds, short in (("wait_seconds", "wait"), ("handle_seconds", "handle"))
            for group, name in (([], ""), (["agent"], "agent_"), (["language"], "lang_"))
        ]

    def __str__(self):
        return f"{self.name}: {self.question[:60]}"

    def durations(self) -> dict[str, int | None]:
        return {
            "wait_seconds": seconds_between(self.created, self.accepted_at),
            "handle_seconds": seconds_between(self.accepted_at, self.ended_at),
        }

    @property
    def agent_name(self) -> str:
        return agent_name(self.agent) if self.agent else ""

    @property
    def group(self) -> str:
        """The channel-layer group of everyone connected to this chat."""
        return chat_group(self.id)

    def position(self, now: datetime) -> int | None:
        """The place in the queue, 1 at its head; None once the chat has left the queue."""
        if self.state != self.State.WAITING:
            return None
        ahead = Q(created__lt=self.created) | Q(created=self.created, id__lt=self.id)
        return Chat.objects.waiting(now).filter(ahead).count() + 1

    def convertible(self, now: datetime) -> bool:
        """Whether the chat's agent may still make it a ticket: once, while it is active
        and for LIVECHAT_CONVERT_WITHIN after it ended (the agent writes it up)."""
        if self.ticket_id is not None:
            return False
        if self.state == self.State.ACTIVE:
            return True
        recently = (
            self.ended_at is not None and self.ended_at >= now - settings.LIVECHAT_CONVERT_WITHIN
        )
        return self.state == self.State.ENDED and recently

    def messages_after(self, seq: int):
        """What a client that has seen up to `seq` missed, in order."""
        return self.messages.filter(seq__gt=seq).order_by("seq")

    def role_of(self, user, session_key: str | None) -> str | None:
        """Answer who this socket is in the chat: its member (the session that opened it,
        or the signed-in member it belongs to), its agent (once accepted), or nobody."""
        if session_key and session_key == self.session_key:
            return Message.Author.MEMBER
        if self.user_id is not None and user.is_authenticated and user.pk == self.user_id:
            return Message.Author.MEMBER
        if self.agent_id is not None and user.is_authenticated and user.pk == self.agent_id:
            return Message.Author.AGENT
        return None


class Message(models.Model):
    """One line of a chat, numbered in its chat: clients ask for what follows a number."""

    class Author(models.TextChoices):
        MEMBER = "member", _("Member")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("System")

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    author = models.CharField(_("author"), max_length=8, choices=Author.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    body = models.TextField(_("message"))
    client_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    # A system line is stored as what happened (livechat/events.py), rendered per reader;
    # `body` then holds its English rendering.
    event = models.CharField(_("event"), max_length=32, blank=True)
    params = models.JSONField(_("event parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["chat", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chat", "seq"], name="livechat_message_seq"),
            models.UniqueConstraint(
                fields=["chat", "client_id"],
                condition=~Q(client_id=""),
                name="livechat_message_client_id",
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.name}: {self.body[:60]}"

    def to_frame(self) -> dict:
        return message_frame(*(getattr(self, field) for field in FRAME_FIELDS))


FRAME_FIELDS = ("seq", "author", "name", "body", "sent_at", "client_id", "event", "params")


def encoded(frame: dict) -> str:
    """A frame's text, as every socket sends it."""
    return json.dumps(frame)


def message_frame(seq, author, name, body, sent_at, client_id, event="", params=None) -> dict:
    """The protocol's `message` frame (docs/protocol.md), from a message or a row of its
    FRAME_FIELDS (a replay of a thousand messages needs no model instances). A system
    event's frame adds `event`, `params` and `link`; each socket renders its body for
    its reader (events.localise)."""
    frame = {
        "type": "message",
        "seq": seq,
        "author": author,
        "name": name,
        "body": body,
        # A datetime, or its isoformat() text already (a replay's rows: livechat.sql).
        "sent_at": sent_at if isinstance(sent_at, str) else sent_at.isoformat(),
        "client_id": client_id,
    }
    if event:
        params = params or {}
        frame.update(event=event, params=params, link=events.link(event, params))
    return frame


class AgentPresence(models.Model):
    """When an agent's console was last open: how many agents are online, for the estimate;
    and what the agent chose there, kept from one visit to the next."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField()
    # Away: the console stays open with its chats, but the agent takes no new ones and does
    # not count as online.
    away = models.BooleanField(_("away"), default=False)
    # New-chat alerts (a notification and a sound) in the console.
    alerts = models.BooleanField(_("alerts on"), default=False)

    def __str__(self):
        return f"{self.agent} {self.seen_at:%H:%M:%S}"


BUMP = "UPDATE livechat_queuerevision SET revision = revision + 1 WHERE id = %s RETURNING revision"


class QueueRevision(models.Model):
    """How many times the queue has changed (a chat joined or left it), in one row: the
    consoles hear of each change as a numbered delta and ask for the whole queue when they
    miss a number (docs/protocol.md, `queue_change`)."""

    revision = models.BigIntegerField(default=0)

    ROW = 1

    def __str__(self):
        return f"queue revision {self.revision}"

    @classmethod
    def bump(cls) -> int:
        """Count a change; answer its number. Call inside the transaction that made it,
        after its other writes: the row stays locked until commit (PostgreSQL), so the
        numbers follow the commits. One statement (UPDATE … RETURNING: one round trip
        less inside every accept's transaction)."""
        with connection.cursor() as cursor:
            for _ in range(2):
                cursor.execute(BUMP, [cls.ROW])
                if (row := cursor.fetchone()) is not None:
                    return row[0]
                # Made on first use (a flushed test database has none either).
                cls.objects.bulk_create([cls(pk=cls.ROW)], ignore_conflicts=True)
        raise RuntimeError("the queue's revision row could not be made")

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=cls.ROW).values_list("revision", flat=True).first() or 0
