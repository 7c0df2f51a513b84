"""Can a member chat now? What the pre-chat form says before anyone types: within support
hours or not, agents available or not, and the wait a new chat would have (the queue's
own estimate, for the place a new chat would take)."""

from datetime import datetime
from typing import NamedTuple

from livechat.models import Chat
from livechat.waiting import agents_online, estimate_wait
from portal.hours import current
from portal.hours.models import Weekday


class Availability(NamedTuple):
    open: bool  # within support hours
    agents: int  # agents available now (0 outside hours)
    wait_seconds: int | None  # for a chat started now; None without agents
    next_opening: datetime | None  # when support opens again (None while open)

    @property
    def can_chat(self) -> bool:
        """Whether a chat can be queued now (outside hours only a message can be left)."""
        return self.open

    @property
    def agents_ready(self) -> bool:
        return self.open and self.agents > 0


def availability(now: datetime) -> Availability:
    if not current.is_open(now):
        return Availability(False, 0, None, current.next_opening(now))
    agents = agents_online(now)
    position = Chat.objects.waiting(now).count() + 1
    wait = estimate_wait(position, now) if agents else None
    return Availability(True, agents, wait, None)


def opening_hours() -> list[tuple[str, str]]:
    """The weekly hours as people read them, a day and its times a row; [] when support
    is not limited to hours."""
    schedule = current.schedule()
    if not schedule.limited:
        return []
    return [
        (Weekday(day).label, ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows))
        for day, windows in sorted(schedule.windows.items())
    ]
