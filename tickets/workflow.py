"""A ticket's statuses and the moves between them: the one table every service and page asks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    AWAITING_MEMBER = "awaiting_member", _("Awaiting your reply")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# From each status, the statuses it may move to. A Closed ticket is
# final: the member files a new one instead.
TRANSITIONS = {
    Status.NEW: {Status.OPEN, Status.AWAITING_MEMBER, Status.RESOLVED, Status.CLOSED},
    Status.OPEN: {Status.AWAITING_MEMBER, Status.RESOLVED, Status.CLOSED},
    Status.AWAITING_MEMBER: {Status.OPEN, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.OPEN, Status.AWAITING_MEMBER, Status.CLOSED},
    Status.CLOSED: set(),
}
# The one way out of Closed: an agent reopens the ticket, giving a reason (ticket_reopen).
# It is not in TRANSITIONS, so that no reply (the member's or an agent's) reopens it.
REOPEN = (Status.CLOSED, Status.OPEN)
# Statuses in which the ticket waits on the support team rather than on the member.
WAITING_ON_AGENTS = {Status.NEW, Status.OPEN}
# The same status in the agents' words, where theirs differ from the member's.
AGENT_LABELS = {Status.AWAITING_MEMBER: _("Waiting on member")}


def agent_label(status: str) -> str:
    """The name agents know a status by (members read Status.label)."""
    status = Status(status)
    return AGENT_LABELS.get(status, status.label)


def agent_targets(current: str) -> list[Status]:
    """The statuses an agent may set from `current`, in the workflow's order."""
    allowed = TRANSITIONS[Status(current)] | ({REOPEN[1]} if current == REOPEN[0] else set())
    return [status for status in Status if status in allowed]


def transition_refusal(current: str, target: str) -> str:
    """Why `current` cannot become `target`, in the active language."""
    if current == Status.CLOSED:
        return str(_("A closed ticket takes no reply and keeps its status."))
    return str(
        _("A ticket that is %(current)s cannot become %(target)s.")
        % {"current": agent_label(current), "target": agent_label(target)}
    )


class TransitionError(ValueError):
    """A status change that the workflow does not allow; str() says why, translated."""
