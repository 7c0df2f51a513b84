"""Service levels: when a ticket's first answer and its resolution are due.

The targets are ServiceLevel rows (one per language, a blank one for all the others). The
due times are stored on the ticket, so that the queue filters on them in the database, and
recomputed on the events that change them: a ticket filed, its first public reply, its
resolution, its reopening, a change of the targets (refresh_open_tickets).

A target may count support hours only. The support team's hours are not this module's:
support_hours() answers how many working seconds lie between two moments, from the
opening hours of portal.hours (None while those are not limited; targets then count
calendar time).
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from portal.hours import current as hours
from tickets.models import WAITING_ON_AGENTS, ServiceLevel, Status, Ticket

Between = Callable[[datetime, datetime], float]
DUE_SOON = timedelta(hours=2)
# A business-hours deadline is looked for this far ahead at most (long weekends, holidays).
HORIZON = timedelta(days=60)
DUE_FIELDS = ["first_response_due", "resolution_due", "due_at"]


def support_hours() -> Between | None:
    """The working seconds between two moments, by the support team's opening hours
    (portal.hours, set in the admin); None while the hours are not limited."""
    schedule = hours.schedule()
    return schedule.business_seconds_between if schedule.limited else None


def level_for(language: str) -> ServiceLevel | None:
    """The language's own targets, or else those for all languages, or None."""
    levels = ServiceLevel.objects.filter(language__in=[language, ""])
    return levels.order_by("-language").first()  # "pl" sorts after "": its own first


def deadline(start: datetime, minutes: int, business_hours: bool = False) -> datetime:
    between = support_hours() if business_hours else None
    if between is None:
        return start + timedelta(minutes=minutes)
    return _working_deadline(start, minutes * 60, between)


def _working_deadline(start: datetime, seconds: float, between: Between) -> datetime:
    """The first whole second after `start` by which `seconds` of working time have
    passed (a bisection: some thirty calls of `between`)."""
    low, high = 0, int(HORIZON.total_seconds())
    if between(start, start + HORIZON) < seconds:
        return start + HORIZON
    while low < high:
        middle = (low + high) // 2
        if between(start, start + timedelta(seconds=middle)) < seconds:
            low = middle + 1
        else:
            high = middle
    return start + timedelta(seconds=high)


def due_times(ticket: Ticket, level: ServiceLevel | None, resolution_from: datetime) -> dict:
    """The deadlines of `ticket` under `level`, the resolution counted from
    `resolution_from` (the filing, or the latest reopening)."""
    if level is None:
        return {"first_response_due": None, "resolution_due": None}
    hours = level.business_hours
    return {
        "first_response_due": deadline(ticket.created_at, level.first_response_minutes, hours),
        "resolution_due": deadline(resolution_from, level.resolution_minutes, hours),
    }


def pending_due(ticket: Ticket) -> datetime | None:
    """What the agents owe next, while the ticket waits on them: the first answer, then
    the resolution. Nothing while it waits on the member or is done."""
    if ticket.status not in WAITING_ON_AGENTS:
        return None
    return ticket.first_response_due if ticket.first_response_at is None else ticket.resolution_due


def ticket_refresh_due(ticket: Ticket, *, restart: datetime | None = None) -> None:
    """Store the ticket's due times after an event. `restart` (its filing or reopening)
    sets the deadlines afresh, the resolution counted from then; other events only move
    what is pending (a first answer given, a status changed)."""
    fields = {}
    if restart is not None:
        fields = due_times(ticket, level_for(ticket.language), restart)
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.due_at = fields["due_at"] = pending_due(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(**fields)


def refresh_open_tickets(language: str) -> int:
    """After a change of the targets for `language` ("" for all): set the deadlines of the
    tickets not yet resolved that those targets govern, from their filing. Answer how many."""
    tickets = Ticket.objects.exclude(status__in=[Status.RESOLVED, Status.CLOSED])
    if language:
        tickets = tickets.filter(language=language)
    else:
        tickets = tickets.exclude(language__in=ServiceLevel.objects.values("language"))
    level, changed = ServiceLevel.objects.filter(language=language).first(), []
    for ticket in tickets.iterator(chunk_size=500):
        for name, value in due_times(ticket, level, ticket.created_at).items():
            setattr(ticket, name, value)
        ticket.due_at = pending_due(ticket)
        changed.append(ticket)
    Ticket.objects.bulk_update(changed, DUE_FIELDS, batch_size=500)
    return len(changed)


def badge(due_at: datetime | None, now: datetime | None = None) -> str:
    """ "due in 2 h", "overdue 35 min", or "" when nothing is due."""
    if due_at is None:
        return ""
    left = due_at - (now or timezone.now())
    if left >= timedelta(0):
        return gettext("due in %(time)s") % {"time": short_span(left)}
    return gettext("overdue %(time)s") % {"time": short_span(-left)}


def short_span(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return gettext("%(n)d min") % {"n": minutes}
    if minutes < 48 * 60:
        return gettext("%(n)d h") % {"n": minutes // 60}
    days = minutes // (24 * 60)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def spoken_span(minutes: int) -> str:
    """A target as the member reads it: "within 4 hours", "within 30 minutes"."""
    if minutes < 60:
        return ngettext("within %(n)d minute", "within %(n)d minutes", minutes) % {"n": minutes}
    hours = -(-minutes // 60)
    if hours < 48:
        return ngettext("within %(n)d hour", "within %(n)d hours", hours) % {"n": hours}
    days = -(-hours // 24)
    return ngettext("within %(n)d day", "within %(n)d days", days) % {"n": days}
