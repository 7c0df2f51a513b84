from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from tickets.images import ACCEPT, prepare
from tickets.languages import LANGUAGE_CHOICES, LANGUAGES_BY_CODE
from tickets.models import Status, Ticket, agent_label, agent_targets

BODY_MAX_LENGTH = 10_000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Zero or more screenshots; cleans to a list of PreparedScreenshot, or names each
    file that was refused and why."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Screenshots"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        limit = settings.TICKETS_SCREENSHOTS_PER_MESSAGE
        if len(uploads) > limit:
            raise ValidationError(
                ngettext_lazy(
                    "Attach at most %(limit)d screenshot.",
                    "Attach at most %(limit)d screenshots.",
                    "limit",
                ),
                code="too_many",
                params={"limit": limit},
            )
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(prepare(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return prepared


def screenshots_help_text() -> str:
    return _("PNG, JPEG, GIF or WebP, up to %(count)d files of at most %(megabytes)d MB each.") % {
        "count": settings.TICKETS_SCREENSHOTS_PER_MESSAGE,
        "megabytes": settings.TICKETS_SCREENSHOT_MAX_BYTES // (1024 * 1024),
    }


class TicketForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the ticket"), choices=LANGUAGE_CHOICES)
    summary = forms.CharField(
        label=_("Ticket title"),
        max_length=200,
        help_text=_(
            "A short summary. The language is added in front of it, for example "
            '"Polski - Nie można przetworzyć zamówienia".'
        ),
    )
    description = forms.CharField(
        label=_("Detailed description"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe the steps that led you to the error message. The more information "
            "our tech support team receives, the faster it will solve your problem."
        ),
    )
    screenshots = ScreenshotsField(label=_("Attach files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screenshots"].help_text = screenshots_help_text()
        if not self.is_bound and self.initial.get("language") not in LANGUAGES_BY_CODE:
            ui_language = get_language()
            self.initial["language"] = ui_language if ui_language in LANGUAGES_BY_CODE else "en"

    @classmethod
    def prefilled(cls, query) -> "TicketForm":
        """An empty form with what the live chat passes along (?language=pl&description=)."""
        initial = {
            "language": query.get("language", ""),
            "description": query.get("description", "")[:BODY_MAX_LENGTH],
        }
        return cls(initial=initial)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    screenshots = ScreenshotsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screenshots"].help_text = screenshots_help_text()


class AgentTicketForm(forms.ModelForm):
    """The agents' one form on a ticket's admin page: assignee, status and a reply or an
    internal note with screenshots, saved together (services.ticket_agent_update).

    The status offers what the ticket's current status allows (the transition table);
    what cannot be done is said on the field, with what was typed kept."""

    new_status = forms.TypedChoiceField(
        label=_("Status"), required=False, coerce=Status, empty_value=None
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )
    internal = forms.TypedChoiceField(
        label=_("Send as"),
        choices=[
            ("false", _("Public reply (e-mailed to the member)")),
            ("true", _("Internal note (agents only)")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="false",
        required=False,  # a save without a message needs no choice
        empty_value=False,
    )
    screenshots = ScreenshotsField()

    class Meta:
        model = Ticket
        fields = ["assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        keep = _("Keep: %(status)s (a public reply sets %(waiting)s)") % {
            "status": agent_label(current),
            "waiting": agent_label(Status.AWAITING_MEMBER),
        }
        targets = [(status, agent_label(status)) for status in agent_targets(current)]
        if self.instance.is_closed:
            keep = _("Keep: %(status)s") % {"status": agent_label(current)}
            targets = [(Status.OPEN, _("Reopen (give the reason in the message)"))]
        self.fields["new_status"].choices = [("", keep), *targets]
        self.fields["screenshots"].help_text = screenshots_help_text()

    def clean(self):
        data = super().clean()
        body, status = data.get("body", "").strip(), data.get("new_status")
        if data.get("screenshots") and not body:
            self.add_error("body", _("Write a message to go with the screenshots."))
        if self.instance.is_closed and status == Status.OPEN and not body:
            self.add_error("body", _("Give the reason for reopening the ticket."))
        elif self.instance.is_closed and body and status != Status.OPEN:
            refusal = _("A closed ticket takes no reply: reopen it first, giving the reason.")
            self.add_error("new_status", refusal)
        return data
