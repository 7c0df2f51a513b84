"""Who is this? What the console's card tells of a chat's member: rank, member ID, open
tickets and past chats with their ratings, or that they are a visitor.

Built for any number of cards at once in a fixed number of queries (the console renders
all of an agent's chats with the page)."""

from collections import defaultdict

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from livechat.models import Chat
from tickets.models import Status, Ticket

SHOWN = 5  # open tickets and past chats listed on a card, most recent first
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.AWAITING_MEMBER)


def member_context(chats: list[Chat]) -> dict[str, dict]:
    """Each chat's member as the card shows them, by chat id. The chats come with
    `user__profile` selected."""
    users = {chat.user_id for chat in chats if chat.user_id is not None}
    if not users:  # visitors only (the queries would answer nothing)
        return {str(chat.pk): _member(chat, [], []) for chat in chats}
    tickets = _recent(
        Ticket.objects.filter(member__in=users, status__in=OPEN_STATUSES),
        "member",
        "-last_activity",
    )
    past = _recent(
        Chat.objects.filter(user__in=users).exclude(pk__in=[chat.pk for chat in chats]),
        "user",
        "-created",
    )
    by_user_tickets, by_user_chats = defaultdict(list), defaultdict(list)
    for ticket in tickets:
        by_user_tickets[ticket.member_id].append(ticket)
    for chat in past:
        by_user_chats[chat.user_id].append(chat)
    return {
        str(chat.pk): _member(chat, by_user_tickets[chat.user_id], by_user_chats[chat.user_id])
        for chat in chats
    }


def _recent(queryset, owner: str, order: str):
    """The SHOWN most recent rows of each owner, each with the owner's total, in one query."""
    ordering = F(order.lstrip("-")).desc() if order.startswith("-") else F(order).asc()
    return (
        queryset.annotate(
            row=Window(RowNumber(), partition_by=[F(owner)], order_by=[ordering, F("pk").desc()]),
            total=Window(Count("pk"), partition_by=[F(owner)]),
        )
        .filter(row__lte=SHOWN)
        .order_by(owner, "row")
    )


def _member(chat: Chat, tickets: list[Ticket], past: list[Chat]) -> dict:
    profile = getattr(chat.user, "profile", None) if chat.user is not None else None
    return {
        "visitor": chat.user is None,
        "rank": profile.get_rank_display() if profile else None,
        # The account's member ID; a visitor's is only what they typed in the form.
        "member_id": (profile and profile.member_id) or chat.member_id,
        "open_tickets": _listing(tickets, _ticket),
        "past_chats": _listing(past, _past_chat),
    }


def _listing(rows, describe) -> dict:
    return {"total": rows[0].total if rows else 0, "shown": [describe(row) for row in rows]}


def _ticket(ticket: Ticket) -> dict:
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "status": ticket.get_status_display(),
        "url": reverse("admin:tickets_ticket_change", args=[ticket.pk]),
    }


def _past_chat(chat: Chat) -> dict:
    return {
        "created": chat.created.isoformat(),
        "state": chat.get_state_display(),
        "rating": chat.rating,
        "url": reverse("admin:livechat_chat_change", args=[chat.pk]),
    }
