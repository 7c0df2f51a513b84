"""Handing an active chat to another agent: offered by its agent, taken (or declined) by
the other. The member is told who took over, and the transcript records it.

Writes in the manner of livechat.services: each stores first and answers what changed."""

from datetime import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction

from livechat import events
from livechat.errors import ChatError, NotOffered, Unavailable
from livechat.models import Chat
from livechat.services import Update, _event, agent_name, within_capacity
from portal.access import is_agent


class Handover(NamedTuple):
    """A transfer taken: the chat's update (the note, its new agent) and who held it."""

    update: Update
    previous_agent_id: int


def chat_transfer_offer(*, chat_id, by, to_id, available: set[int]) -> Chat:
    """Offer the agent's active chat to another agent, one of those `available` now (online
    and not away). A new offer replaces an earlier one. Answer the chat."""
    target = get_user_model().objects.filter(pk=to_id).first() if type(to_id) is int else None
    if target is None or target.pk == by.pk or target.pk not in available:
        raise Unavailable
    if not is_agent(target):
        raise Unavailable
    offered = Chat.objects.filter(pk=chat_id, state=Chat.State.ACTIVE, agent=by).update(
        transfer_to=target
    )
    if not offered:
        raise ChatError  # not this agent's active chat (any more)
    chat = Chat.objects.select_related("user__profile", "agent").get(pk=chat_id)
    chat.transfer_to = target
    return chat


def chat_transfer_take(*, chat_id, agent, now: datetime) -> Handover:
    """Take a chat offered to this agent: one conditional UPDATE, so an offer withdrawn,
    declined or ended meanwhile is refused (NotOffered); within the taker's capacity."""
    offered = Chat.objects.filter(pk=chat_id, state=Chat.State.ACTIVE, transfer_to=agent)
    with transaction.atomic():
        previous = offered.values_list("agent_id", flat=True).first()
        # The holder read is part of the condition: a chat that changed hands in between
        # is not taken from whoever holds it now.
        if previous is None or not offered.filter(agent_id=previous).update(
            agent=agent, transfer_to=None
        ):
            raise NotOffered
        within_capacity(agent)  # leaving the block undoes the UPDATE
        chat = Chat.objects.select_related("user__profile").get(pk=chat_id)
        chat.agent = agent
        note = _event(chat, events.TRANSFERRED, {"agent": agent_name(agent)}, now=now)
    return Handover(Update(chat, (note,), state_changed=True), previous)


def chat_transfer_decline(*, chat_id, agent) -> Chat:
    """Decline a chat offered to this agent; it stays with its agent. Answer the chat."""
    if not Chat.objects.filter(pk=chat_id, transfer_to=agent).update(transfer_to=None):
        raise NotOffered
    return Chat.objects.get(pk=chat_id)
