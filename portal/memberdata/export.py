"""A member's archive of their own data (GDPR articles 15 and 20): docs/data-export.md.

The zip is written as it is sent: zipfile writes into a pipe that the response's iterator
empties after every piece, so a member with gigabytes of screenshots costs the server one
piece (CHUNK bytes) at a time, never the archive. Only what the member can already see is
in it: their profile, their tickets' threads without the agents' internal notes, the
screenshots as stored, the chats opened while signed in, and their ratings.
"""

import io
import json
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

from asgiref.sync import sync_to_async
from django.db.models.fields.files import FieldFile

from livechat.models import Chat
from tickets.models import Message, Screenshot, Ticket

FORMAT_VERSION = 1
CHUNK = 256 * 1024
README = f"""Your data from the Tech Support help portal (format version {FORMAT_VERSION}).

profile.json            your account and member profile
tickets/<ref>.json      each Technical Issue: its details, rating and messages
tickets/<ref>/<file>    the screenshots you and tech support attached, as stored
chats/<id>.json         each Tech Support Chat you opened while signed in, with its transcript
ratings.json            every rating you gave, tickets and chats together

Dates are ISO 8601 in UTC. The portal's documentation (docs/data-export.md) describes
every field.
"""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _name(user) -> str | None:
    return (user.first_name or user.get_username()) if user else None


def profile_data(member) -> dict:
    profile = member.profile
    return {
        "format_version": FORMAT_VERSION,
        "username": member.get_username(),
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "date_joined": _iso(member.date_joined),
        "last_login": _iso(member.last_login),
        "rank": profile.rank,
        "rank_name": profile.get_rank_display(),
        "member_id": profile.member_id,
        "preferred_language": profile.preferred_language,
    }


def rating_data(thing) -> dict | None:
    if thing.rating is None:
        return None
    return {
        "score": thing.rating,
        "comment": thing.rating_comment,
        "rated_at": _iso(thing.rated_at),
    }


def shot_path(ticket, shot) -> str:
    extension = "jpg" if shot.content_type == "image/jpeg" else "png"
    return f"tickets/{ticket.reference}/{shot.pk}.{extension}"


def ticket_data(ticket, thread) -> dict:
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "language": ticket.language,
        "summary": ticket.summary,
        "status": ticket.status,
        "created_at": _iso(ticket.created_at),
        "last_activity": _iso(ticket.last_activity),
        "rating": rating_data(ticket),
        "messages": [
            {
                "kind": message.kind,
                "author": _name(message.author),
                "body": message.body,
                "status": message.status or None,
                "sent_at": _iso(message.created_at),
                "screenshots": [
                    {
                        "file": shot_path(ticket, shot),
                        "original_name": shot.original_name,
                        "content_type": shot.content_type,
                        "width": shot.width,
                        "height": shot.height,
                    }
                    for shot in message.screenshots.all()
                ],
            }
            for message in thread
        ],
    }


def chat_data(chat) -> dict:
    fields = ("name", "email", "member_id", "question", "language", "state")
    return {
        "id": str(chat.id),
        **{field: getattr(chat, field) for field in fields},
        "created": _iso(chat.created),
        "accepted_at": _iso(chat.accepted_at),
        "ended_at": _iso(chat.ended_at),
        "transcript_sent_at": _iso(chat.transcript_sent_at),
        "agent": _name(chat.agent),
        "ticket": chat.ticket.reference if chat.ticket else None,
        "rating": rating_data(chat),
        "messages": [
            {
                "seq": m.seq,
                "author": m.author,
                "name": m.name,
                "body": m.body,
                "event": m.event,
                "sent_at": _iso(m.sent_at),
            }
            for m in chat.messages.order_by("seq")
        ],
    }


def member_tickets(member):
    return Ticket.objects.filter(member=member).order_by("id")


def member_screenshots(member):
    """The screenshots in the archive: all of the member's tickets' but internal notes'."""
    shots = Screenshot.objects.filter(message__ticket__member=member)
    return shots.exclude(message__kind=Message.Kind.NOTE)


def member_chats(member):
    """The chats a member opened while signed in: a visitor's chat names an e-mail address
    that anyone may type, so it is nobody's account's to export."""
    chats = Chat.objects.filter(user=member).select_related("agent", "ticket")
    return chats.order_by("created", "id")


def entries(member) -> Iterator[tuple[str, bytes | FieldFile]]:
    """The archive's files in order: (name, content or a stored file to copy)."""
    yield "README.txt", README.encode()
    yield "profile.json", _json(profile_data(member))
    ratings = []
    for ticket in member_tickets(member):
        thread = ticket.thread_for(member).select_related("author").prefetch_related("screenshots")
        yield f"tickets/{ticket.reference}.json", _json(ticket_data(ticket, thread))
        for message in thread:
            for shot in message.screenshots.all():
                yield shot_path(ticket, shot), shot.image
        if ticket.rating is not None:
            ratings.append({"ticket": ticket.reference, **rating_data(ticket)})
    for chat in member_chats(member):
        yield f"chats/{chat.id}.json", _json(chat_data(chat))
        if chat.rating is not None:
            ratings.append({"chat": str(chat.id), **rating_data(chat)})
    yield "ratings.json", _json(ratings)


class _Pipe(io.RawIOBase):
    """Where zipfile writes: it keeps what was written until the iterator takes it. Not
    seekable, so zipfile writes each entry's sizes after its data (a data descriptor)."""

    def __init__(self):
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> list[bytes]:
        """What was written since the last call, as one piece (none when nothing was)."""
        data = b"".join(self.pieces)
        self.pieces.clear()
        return [data] if data else []


def archive_chunks(member, *, now: datetime) -> Iterator[bytes]:
    """Yield the member's zip archive piece by piece, none much over CHUNK bytes."""
    pipe = _Pipe()
    stamp = now.timetuple()[:6]
    with zipfile.ZipFile(pipe, "w") as archive:
        for name, content in entries(member):
            info = zipfile.ZipInfo(name, date_time=stamp)
            if isinstance(content, bytes):
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
            else:  # screenshots are PNG or JPEG already: stored as they are
                try:
                    source = content.open("rb")
                except FileNotFoundError:
                    continue  # lost from the disk: the rest of the archive still comes
                with source, archive.open(info, "w") as target:
                    while piece := source.read(CHUNK):
                        target.write(piece)
                        yield from pipe.take()
            yield from pipe.take()
    yield from pipe.take()


async def in_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Serve a sync iterator under ASGI one piece at a time. Django would otherwise read a
    sync iterator into a list before sending the first byte (StreamingHttpResponse)."""
    next_piece = sync_to_async(next, thread_sensitive=True)
    try:
        while (piece := await next_piece(chunks, None)) is not None:
            yield piece
    finally:
        await sync_to_async(chunks.close, thread_sensitive=True)()
