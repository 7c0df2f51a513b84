from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class RetentionPolicy(models.Model):
    """How long closed tickets' screenshots and ended chats' transcripts are kept.

    One row (pk 1), edited by administrators in the admin; no period (blank) keeps them for
    ever. It is a model rather than a setting so that the people who answer for the data
    change it without a deployment, and the purge reads it each time it runs.
    """

    screenshot_days = models.PositiveIntegerField(
        _("keep closed tickets' screenshots for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Counted from the ticket's closing. Blank: keep them for ever."),
    )
    transcript_days = models.PositiveIntegerField(
        _("keep ended chats' transcripts for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Counted from the chat's end. Blank: keep them for ever."),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention period")

    def __str__(self):
        return str(_("Retention period"))

    @classmethod
    def current(cls) -> "RetentionPolicy":
        return cls.objects.get_or_create(pk=1)[0]

    def cutoff(self, days: int | None, now: datetime) -> datetime | None:
        """The moment before which data kept for `days` is due, or None (kept for ever)."""
        return None if days is None else now - timedelta(days=days)


class StaffView(models.Model):
    """One look by staff at a member's ticket, screenshot or chat transcript.

    Written by memberdata.looks.staff_looked, one INSERT per page; never changed. The
    viewer's name is copied so that the record outlives the staff account.
    """

    class Kind(models.TextChoices):
        TICKET = "ticket", _("ticket")
        SCREENSHOT = "image", _("screenshot")  # the values are the file views' variants
        THUMBNAIL = "thumbnail", _("screenshot thumbnail")
        CHAT = "chat", _("chat transcript")

    at = models.DateTimeField(_("when"), db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    viewer_name = models.CharField(_("viewer"), max_length=150)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    # The ticket's reference or the chat's id, and the screenshot's id for a file.
    subject = models.CharField(_("of"), max_length=64)
    path = models.CharField(_("page"), max_length=300)

    # The admin's "{count} staff views of members' data", in each language's plural forms.
    counted_as = ngettext_lazy(
        "%(count)s staff view of members' data", "%(count)s staff views of members' data", "count"
    )

    class Meta:
        verbose_name = _("staff view of a member's data")
        verbose_name_plural = _("staff views of members' data")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "-at"])]

    def __str__(self):
        return f"{self.viewer_name} {self.get_kind_display()} {self.subject}"
