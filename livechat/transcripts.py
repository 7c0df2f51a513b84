"""The member's copy of a chat: e-mailed in their language when the chat ends or becomes a
ticket, and recorded on the chat (`Chat.transcript_sent_at`).

Chats end inside a socket's database work, which one thread serves per process: the
e-mail goes out after the commit from a single background worker instead, so a slow mail
server never holds up the chats (LIVECHAT_MAIL_IN_BACKGROUND; the tests send inline).
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from livechat import events
from livechat.models import Chat
from portal import ratings

log = logging.getLogger(__name__)
SENT_IN = [Chat.State.ENDED, Chat.State.ANSWERED]
SUBJECTS = {
    Chat.State.ENDED: _("Your Tech Support Chat of %(date)s"),
    Chat.State.ANSWERED: _("Tech Support answered your message of %(date)s"),
}
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcripts")


def transcript_send_on_commit(chat: Chat) -> None:
    """Send the chat's transcript once the current transaction commits."""
    transaction.on_commit(partial(_dispatch, chat.pk))


def _dispatch(chat_id) -> None:
    if settings.LIVECHAT_MAIL_IN_BACKGROUND:
        _worker.submit(_in_worker, chat_id)
    else:
        transcript_send(chat_id)


def _in_worker(chat_id) -> None:
    close_old_connections()
    try:
        transcript_send(chat_id)
    except Exception:  # a worker thread has nobody to raise to
        log.exception("the transcript of chat %s was not sent", chat_id)
    finally:
        close_old_connections()


def reader_language(chat: Chat) -> str:
    """The member's language: their preferred one, else the one they chatted in."""
    profile = getattr(chat.user, "profile", None) if chat.user else None
    language = getattr(profile, "preferred_language", "") or chat.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def transcript_send(chat_id) -> bool:
    """E-mail an ended chat's transcript to its member, once (the claim is a conditional
    UPDATE, so two callers never both send); answer whether this call sent it."""
    claimed = Chat.objects.filter(
        pk=chat_id, state__in=SENT_IN, transcript_sent_at__isnull=True
    ).update(transcript_sent_at=timezone.now())
    if not claimed:
        return False
    chat = Chat.objects.select_related("user__profile", "agent", "ticket").get(pk=chat_id)
    address = chat.user.email if chat.user and chat.user.email else chat.email
    language = reader_language(chat)
    with translation.override(language):
        subject = SUBJECTS[chat.state] % {"date": _local_date(chat)}
        body = render_to_string("livechat/email/transcript.txt", _context(chat, language))
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        Chat.objects.filter(pk=chat_id).update(transcript_sent_at=None)  # try again later
        raise
    return True


def _local_date(chat: Chat) -> str:
    return date_format(timezone.localtime(chat.created), "SHORT_DATE_FORMAT")


def _context(chat: Chat, language: str) -> dict:
    portal = settings.PORTAL_URL.rstrip("/")
    return {
        "chat": chat,
        "lines": events.lines(chat.messages.order_by("seq"), language),
        "portal": portal,
        "ticket_url": portal + chat.ticket.get_absolute_url() if chat.ticket else "",
        "history_url": portal + reverse("livechat:history") if chat.user else "",
        # A chat an agent helped with is rated from the e-mail, without signing in.
        "rating_url": ratings.rating_url(chat) if ratings.may_rate(chat) else "",
    }
