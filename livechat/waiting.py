"""The queue as members wait in it: positions, the wait estimate, and the agents online
(presence) it rests on. Everything here reads the database; frames.py shapes the result."""

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, F, Min

from livechat import frames
from livechat.models import AgentPresence, Chat, QueueRevision
from livechat.services import agent_name

CONSOLE_TICK = 15  # seconds between a console's heartbeats and abandon sweeps
# An agent counts as online until its console misses three heartbeats in a row: a late
# tick or two is not a departure.
ONLINE_WITHIN = timedelta(seconds=3 * CONSOLE_TICK)
RECENT_CHATS = 20
# Until enough chats have been handled, assume this handle time.
DEFAULT_HANDLE_TIME = timedelta(minutes=5)


def agent_seen(agent, now: datetime) -> bool:
    """Note that the agent's console is open; answer whether that brought them online (an
    agent who is away is not counted, open console or not)."""
    was_open = _open(now).filter(agent=agent).exists()
    presence, _ = AgentPresence.objects.update_or_create(agent=agent, defaults={"seen_at": now})
    return not was_open and not presence.away


def agent_set_away(agent, away: bool, now: datetime) -> bool:
    """Set the agent away (not online, no new chats; their chats stay theirs) or available
    again; answer whether that changed the agents online (the console is open)."""
    presence, created = AgentPresence.objects.get_or_create(
        agent=agent, defaults={"seen_at": now, "away": away}
    )
    if not created and presence.away == away:
        return False
    AgentPresence.objects.filter(pk=presence.pk).update(away=away)
    return _open(now).filter(pk=presence.pk).exists()


def agent_set_alerts(agent, alerts: bool, now: datetime) -> None:
    """Remember whether the agent's consoles alert them of new chats."""
    AgentPresence.objects.update_or_create(
        agent=agent, defaults={"alerts": alerts}, create_defaults={"alerts": alerts, "seen_at": now}
    )


def agents_available(now: datetime) -> list[tuple[int, str]]:
    """The agents online and not away (id and name), who may be handed a chat."""
    online = _online(now).select_related("agent").order_by("agent__first_name", "agent_id")
    return [(presence.agent_id, agent_name(presence.agent)) for presence in online]


def agent_gone(agent, now: datetime) -> None:
    """The agent's last console closed: count them offline from now. The row stays (with
    whatever else it holds); only its clock is put just past the online window."""
    gone = now - ONLINE_WITHIN - timedelta(seconds=1)
    AgentPresence.objects.filter(agent=agent).update(seen_at=gone)


def _open(now: datetime):
    """The agents whose console is open (and beating), away or not."""
    return AgentPresence.objects.filter(seen_at__gte=now - ONLINE_WITHIN)


def _online(now: datetime):
    """The agents counted online: their console is open and they are not away."""
    return _open(now).filter(away=False)


def agents_online(now: datetime) -> int:
    return _online(now).count()


def presence_expires(now: datetime) -> datetime | None:
    """When the first online agent stops counting as online unless their console beats
    again (None when nobody is online)."""
    oldest = _online(now).aggregate(oldest=Min("seen_at"))["oldest"]
    return oldest + ONLINE_WITHIN if oldest is not None else None


def handle_time() -> timedelta:
    """The mean length of the recent conversations (from accept to end)."""
    recent = (
        Chat.objects.filter(state=Chat.State.ENDED, accepted_at__isnull=False)
        .order_by("-ended_at")
        .values_list("pk", flat=True)[:RECENT_CHATS]
    )
    mean = Chat.objects.filter(pk__in=list(recent)).aggregate(
        mean=Avg(F("ended_at") - F("accepted_at"))
    )["mean"]
    return mean or DEFAULT_HANDLE_TIME


def estimate_wait(position: int, now: datetime) -> int | None:
    """Seconds until an agent is likely to accept the chat at this position, or None when
    no agent is online."""
    return wait_estimator(now)(position)


def wait_estimator(now: datetime) -> Callable[[int], int | None]:
    """The wait estimate for any position, with the queue's figures read once. Each of the
    online agents' slots frees up once per handle time."""
    online = agents_online(now)
    if not online:
        return lambda position: None
    slots = online * settings.LIVECHAT_AGENT_CAPACITY
    free = max(slots - Chat.objects.filter(state=Chat.State.ACTIVE).count(), 0)
    handle = handle_time().total_seconds()

    def seconds(position: int) -> int:
        return 0 if position <= free else math.ceil((position - free) * handle / slots)

    return seconds


def state_frame(chat: Chat, now: datetime) -> dict:
    """The chat's `state` frame, with its place and wait estimate while it waits."""
    position = chat.position(now)
    agent = agent_name(chat.agent) if chat.agent else None
    wait = estimate_wait(position, now) if position else None
    return frames.state(chat.state, position, agent, wait)


def queue_states(now: datetime) -> dict[str, dict]:
    """The `state` frame of every waiting chat, by chat id: what a queue change tells the
    waiting members, from one read of the queue's order and of the estimate's figures, not
    one by each waiting member's socket."""
    waiting = list(Chat.objects.waiting(now).values_list("pk", flat=True))
    if not waiting:
        return {}
    wait = wait_estimator(now)
    return {
        str(chat_id): frames.state(Chat.State.WAITING, position, None, wait(position))
        for position, chat_id in enumerate(waiting, start=1)
    }


def queue_frame(now: datetime) -> dict:
    """The console's whole queue. The revision is read first: a change committed between
    the two reads is in the list, and its delta, applied again, changes nothing."""
    revision = QueueRevision.current()
    return frames.queue(Chat.objects.waiting(now), revision)


def agents_frame(now: datetime) -> dict:
    return frames.agents(agents_available(now))


def status_frame(agent, now: datetime) -> dict:
    """The agent's own `status` frame: away or available, alerts, and the chats held."""
    presence = AgentPresence.objects.filter(agent=agent).first()
    holding = Chat.objects.active_for(agent).count()
    return frames.status(
        away=bool(presence and presence.away),
        alerts=bool(presence and presence.alerts),
        holding=holding,
        capacity=settings.LIVECHAT_AGENT_CAPACITY,
    )
