"""What the support mailbox delivered (the tickets app's InboundEmail, defined here beside
the code that reads the mailbox; tickets.models imports it, as Django finds an app's
models there)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class InboundEmail(models.Model):
    """One message read from the support mailbox and what became of it.

    The record is the proof that a message was processed: its place in the mailbox
    (folder, UIDVALIDITY, UID) is unique, and it is written in the same transaction as the
    reply it posts, so two pollers reading the same message post it once (the second one's
    insert fails), and a poller that dies posts nothing. What was not posted is kept here
    for an administrator, read-only.
    """

    class Outcome(models.TextChoices):
        POSTED = "posted", _("Added to the ticket")
        CLOSED = "closed", _("Ticket closed: not added")
        EMPTY = "empty", _("No new text: not added")
        TOO_MANY = "too_many", _("Too many replies: not added")
        UNMATCHED = "unmatched", _("Not matched to a ticket")
        NOT_A_REPLY = "not_a_reply", _("Not a reply to a ticket")
        AUTOMATIC = "automatic", _("Auto-reply or bounce: dropped")
        OWN = "own", _("Sent by the portal: dropped")
        DUPLICATE = "duplicate", _("Already received")
        TOO_LARGE = "too_large", _("Too large to read")
        FAILED = "failed", _("Could not be read")

    folder = models.CharField(_("folder"), max_length=200)
    uidvalidity = models.BigIntegerField("UIDVALIDITY")
    uid = models.BigIntegerField("UID")
    message_id = models.CharField("Message-ID", max_length=250, blank=True, db_index=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=250, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("ticket")
    )
    posted = models.ForeignKey(
        "tickets.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted message"),
    )
    text = models.TextField(_("new text"), blank=True)
    attachments = models.TextField(_("attachments"), blank=True)
    # When the portal answered this message: answers to one sender are counted from these.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    # The admin's "{count} inbound e-mails", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s inbound e-mail", "%(count)s inbound e-mails", "count")

    class Meta:
        verbose_name = _("inbound e-mail")
        verbose_name_plural = _("inbound e-mails")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "uidvalidity", "uid"], name="tickets_inbound_once_per_uid"
            ),
            # The same message delivered twice (two UIDs) is posted once.
            models.UniqueConstraint(
                fields=["message_id", "sender"],
                condition=models.Q(outcome="posted") & ~models.Q(message_id=""),
                name="tickets_inbound_posted_once",
            ),
        ]

    def __str__(self):
        return f"{self.sender or '?'}: {self.subject}"
