import re
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.access import is_agent
from portal.durations import StoredDurations, seconds_between
from tickets.inbound.models import InboundEmail  # noqa: F401 (a model of this app)
from tickets.languages import LANGUAGE_CHOICES, LANGUAGES_BY_CODE
from tickets.workflow import (  # noqa: F401 (the workflow's names, where the models are)
    AGENT_LABELS,
    REOPEN,
    TRANSITIONS,
    WAITING_ON_AGENTS,
    Status,
    TransitionError,
    agent_label,
    agent_targets,
    transition_refusal,
)


def title_for(language: str, summary: str) -> str:
    """Return "<language> - <summary>", the title the member guide asks for; a summary that
    already starts with the language's own or English name ("Polish - ...") is not prefixed
    twice, only given the own name."""
    own_name, english_name = LANGUAGES_BY_CODE[language][1:]
    names = "|".join(re.escape(name) for name in {own_name, english_name})
    match = re.fullmatch(rf"\s*(?:{names})\s*[-–—:]\s*(.+)", summary, re.IGNORECASE | re.DOTALL)
    return f"{own_name} - {(match[1] if match else summary).strip()}"


class TicketQuerySet(models.QuerySet):
    def attention_first(self):
        """What needs the agents first: New and Open (the member waits on us), oldest
        waiting first; then Waiting on member, Resolved and Closed, latest activity first."""
        rank = models.Case(
            *(models.When(status__in=group, then=n) for n, group in enumerate(ATTENTION_ORDER)),
            output_field=models.IntegerField(),
        )
        waiting = models.Case(
            models.When(status__in=WAITING_ON_AGENTS, then=models.F("last_member_activity"))
        )
        return self.annotate(attention=rank, waiting_key=waiting).order_by(*ATTENTION_ORDERING)


# The queue's order: what waits on the agents, then on the member, then what is done.
ATTENTION_ORDER = [
    (Status.NEW, Status.OPEN),
    (Status.AWAITING_MEMBER,),
    (Status.RESOLVED,),
    (Status.CLOSED,),
]


ATTENTION_ORDERING = [
    models.F("attention").asc(),
    models.F("waiting_key").asc(nulls_last=True),
    models.F("last_activity").desc(),
    models.F("id").desc(),
]


class Ticket(StoredDurations, models.Model):
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    # Deleting a member deletes their tickets (and, after the commit, their screenshots'
    # files: portal.memberdata.signals); erasure keeps them anonymised for the statistics.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tickets",
        verbose_name=_("member"),
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    summary = models.CharField(_("summary"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_member_activity = models.DateTimeField(_("last member activity"), default=timezone.now)
    last_agent_activity = models.DateTimeField(_("last agent activity"), null=True, blank=True)
    last_activity = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # The member's rating of the help, once per ticket (1-5; 4 and 5 count as satisfied).
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    # Service levels (tickets/sla.py): when the first answer and the resolution are due,
    # when they came, and the next of the two still pending (what the queue shows).
    first_response_due = models.DateTimeField(_("first answer due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    # The same durations in whole seconds, kept by save() and apply_status (the reports).
    first_response_seconds = models.PositiveIntegerField(null=True, editable=False)
    resolution_seconds = models.PositiveIntegerField(null=True, editable=False)

    objects = TicketQuerySet.as_manager()
    # What durations() measures between (portal.durations.StoredDurations).
    MOMENTS = frozenset(("created_at", "first_response_at", "resolved_at"))

    # The admin's "{count} technical issues", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s technical issue", "%(count)s technical issues", "count")

    class Meta:
        verbose_name = _("technical issue")
        verbose_name_plural = _("technical issues")
        ordering = ["-last_activity", "-id"]
        indexes = [
            # My Technical Issues' rows in the order they are listed (the ordering above),
            # read from the index: without "-id" the database sorted each page again.
            models.Index(fields=["member", "-last_activity", "-id"], name="ticket_member_listed"),
            # The reports' percentiles: the n-th duration of a group, read in order from
            # the index with the moment that puts the row in the period (no table reads).
            *(
                models.Index(fields=[*group, seconds, moment], name=f"ticket_{name}")
                for seconds, moment, short in (
                    ("first_response_seconds", "created_at", "first"),
                    ("resolution_seconds", "resolved_at", "resol"),
                )
                for group, name in (
                    ([], f"{short}_s"),
                    (["assignee"], f"{short}_agent_s"),
                    (["language"], f"{short}_lang_s"),
                )
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        # The reference comes from the primary key, which neither SQLite (AUTOINCREMENT)
        # nor PostgreSQL (identity) ever hands out twice; a random placeholder keeps the
        # unique column valid between the insert and the update.
        if not self.reference:
            self.reference = f"new-{secrets.token_hex(6)}"
            super().save(*args, **kwargs)
            self.reference = f"TI-{self.pk:06d}"
            kwargs = {"update_fields": ["reference"]}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tickets:detail", args=[self.reference])

    def durations(self) -> dict[str, int | None]:
        return {
            "first_response_seconds": seconds_between(self.created_at, self.first_response_at),
            "resolution_seconds": seconds_between(self.created_at, self.resolved_at),
        }

    @property
    def title(self) -> str:
        return title_for(self.language, self.summary)

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def awaits_member(self) -> bool:
        return self.status == Status.AWAITING_MEMBER

    @property
    def waiting_since(self):
        """When the ticket started waiting on the support team, or None if it does not."""
        return self.last_member_activity if self.status in WAITING_ON_AGENTS else None

    def record_activity(self, message: "Message") -> None:
        """Stamp the ticket with a member's or an agent's new message."""
        side = (
            "last_member_activity" if message.kind == Message.Kind.MEMBER else "last_agent_activity"
        )
        setattr(self, side, message.created_at)
        self.last_activity = message.created_at
        self.save(update_fields=[side, "last_activity"])

    def apply_status(self, status: Status, *, by, reopen: bool = False) -> "Message | None":
        """Move the ticket to `status` and record the change in the thread, by `by`.

        The one place a status changes: every transition is checked against TRANSITIONS
        and leaves an event the member (and the agents) see in the thread. Staying in the
        same status records nothing and returns None.

        The check is made by the database, not on this instance: it may have been loaded
        before someone else's change (an agent closing the ticket while a member's reply
        with screenshots is still uploading), and must not write its status over that.
        `reopen` also allows REOPEN, for ticket_reopen alone.
        """
        allowed_from = [source for source, targets in TRANSITIONS.items() if status in targets]
        if reopen and status == REOPEN[1]:
            allowed_from.append(REOPEN[0])
        moved = Ticket.objects.filter(pk=self.pk, status__in=allowed_from).update(status=status)
        if not moved:  # refused, or already there: no status leads to itself
            self.status = Ticket.objects.values_list("status", flat=True).get(pk=self.pk)
            if self.status == status:
                return None
            raise TransitionError(transition_refusal(self.status, status))
        self._stamp_status(status)
        return self.messages.create(kind=Message.Kind.EVENT, author=by, status=status)

    def _stamp_status(self, status: Status) -> None:
        """Keep what the service levels read in step with a new status: when it was
        resolved, and a fresh resolution clock when it comes back to the agents."""
        from tickets import sla  # sla reads these models: imported when first needed

        done = (Status.RESOLVED, Status.CLOSED)
        restart = timezone.now() if self.status in done and status not in done else None
        # resolved_at: when it was done with, resolved or (without that) closed.
        finished = status == Status.RESOLVED or (status == Status.CLOSED and not self.resolved_at)
        if finished or restart:
            self.resolved_at = None if restart else timezone.now()
            self.resolution_seconds = self.durations()["resolution_seconds"]
            Ticket.objects.filter(pk=self.pk).update(
                resolved_at=self.resolved_at, resolution_seconds=self.resolution_seconds
            )
        self.status = status
        sla.ticket_refresh_due(self, restart=restart)

    def thread_for(self, user) -> "models.QuerySet[Message]":
        """Return the messages `user` may read: all of them for agents, everything but
        internal notes for the member."""
        messages = self.messages.all()
        if not is_agent(user):
            messages = messages.exclude(kind=Message.Kind.NOTE)
        return messages


class Message(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member's message")
        REPLY = "reply", _("Public reply")
        NOTE = "note", _("Internal note")
        EVENT = "event", _("Status change")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), blank=True)
    status = models.CharField(_("new status"), max_length=20, choices=Status.choices, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.ticket.reference} {self.get_kind_display()}"

    @property
    def is_from_agent(self) -> bool:
        return self.kind in (self.Kind.REPLY, self.Kind.NOTE)


def screenshot_path(screenshot: "Screenshot", filename: str) -> str:
    # A random name under MEDIA_ROOT, never derived from what the member uploaded.
    return f"tickets/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"


class Screenshot(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="screenshots")
    image = models.FileField(upload_to=screenshot_path, max_length=200)
    thumbnail = models.FileField(upload_to=screenshot_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(_("file name"), max_length=100)

    class Meta:
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("tickets:screenshot", args=[self.pk])

    def get_thumbnail_url(self):
        return reverse("tickets:thumbnail", args=[self.pk])


class ServiceLevel(models.Model):
    """The targets for tickets in one language, or (language blank) in all the others."""

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        blank=True,
        unique=True,
        help_text=_("Leave blank for the target of every language without its own."),
    )
    first_response_minutes = models.PositiveIntegerField(_("first answer within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))
    business_hours = models.BooleanField(
        _("count support hours only"),
        default=False,
        help_text=_("Count only the time the support team is at work."),
    )

    # The admin's "{count} service levels", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s service level", "%(count)s service levels", "count")

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["language"]

    def __str__(self):
        return self.get_language_display() or str(_("All languages"))
