from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

PLACEHOLDERS_HELP = _(
    "Placeholders: {first_name} (the member's first name), {ticket} (the ticket's "
    "reference), {agent} (your name), {ticket_form} (a link to the ticket form, "
    "prefilled in the member's language)."
)


class CannedReplyQuerySet(models.QuerySet):
    def for_agent(self, agent):
        """The replies an agent may use: the shared ones and their own."""
        return self.filter(Q(owner__isnull=True) | Q(owner=agent))


class CannedReply(models.Model):
    """A reply agents insert with the keyboard, in the member's language."""

    title = models.CharField(_("title"), max_length=100)
    shortcut = models.SlugField(
        _("shortcut"),
        max_length=30,
        blank=True,
        help_text=_("Typed after a slash in a reply box, e.g. “ticket” for /ticket."),
    )
    body_en = models.TextField(_("reply in English"), help_text=PLACEHOLDERS_HELP)
    body_pl = models.TextField(
        _("reply in Polish"),
        blank=True,
        help_text=_("Left empty, members who speak Polish get the English reply."),
    )
    # None: shared by every agent; else one agent's own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Left empty, the reply is shared by every agent."),
    )
    uses = models.PositiveIntegerField(_("times used"), default=0, editable=False)

    objects = CannedReplyQuerySet.as_manager()

    # The admin's "{count} canned replies", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s canned reply", "%(count)s canned replies", "count")

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    @property
    def bodies(self) -> dict[str, str]:
        """The reply's text by language code."""
        return {"en": self.body_en, "pl": self.body_pl}

    def count_use(self) -> None:
        CannedReply.objects.filter(pk=self.pk).update(uses=F("uses") + 1)
