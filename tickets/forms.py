from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from livechat.language import clear_language
from tickets.images import ACCEPT, prepare
from tickets.languages import LANGUAGE_CHOICES, LANGUAGES_BY_CODE, split_language
from tickets.models import Message, Status, Ticket, agent_label, agent_targets, title_for

BODY_MAX_LENGTH = 10_000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Zero or more screenshots; cleans to a list of PreparedScreenshot, or names each
    file that was refused and why."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))  # step C of the guide
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


def describe_screenshots(field: ScreenshotsField) -> None:
    """Give the field its help text, and the browser the bounds to check chosen files
    against before sending, in the server's own words ({name} stands for a file's name)."""
    limit = settings.TICKETS_SCREENSHOTS_PER_MESSAGE
    max_bytes = settings.TICKETS_SCREENSHOT_MAX_BYTES
    refused = _("%(name)s: %(reason)s.")
    field.help_text = screenshots_help_text()
    field.widget.attrs.update(
        {
            "data-max-files": limit,
            "data-max-bytes": max_bytes,
            "data-too-many": ngettext(
                "Attach at most %(limit)d screenshot.",
                "Attach at most %(limit)d screenshots.",
                limit,
            )
            % {"limit": limit},
            "data-too-large": refused
            % {
                "name": "{name}",
                "reason": _("it is larger than %(limit)s") % {"limit": filesizeformat(max_bytes)},
            },
            "data-wrong-type": refused
            % {"name": "{name}", "reason": _("it is not a PNG, JPEG, GIF or WebP image")},
            # The browser names its own button in its own language (upload.js).
            "data-choose": _("Choose files"),
            "data-none-chosen": _("No file chosen"),
        }
    )


def default_language(description: str = "") -> str:
    """The language the form starts with: the description's, when the detector is sure of
    it, else the interface language (English when that is not a ticket language)."""
    detected = clear_language(description) if description else None
    ui_language = get_language()
    return detected or (ui_language if ui_language in LANGUAGES_BY_CODE else "en")


def resolve_language(*, summary: str, description: str, chosen: str, default: str):
    """Return (language, summary without its language, problem) for what the member typed.

    The guide asks for the language at the start of the title, the form has a language field:
    a language named in the title wins over the field's default, which follows the
    description; one the member chose in the field (other than the default it was given)
    and a different one in the title is a clash they must settle.
    """
    named, rest = split_language(summary)
    explicit = chosen != default
    if named and not rest:
        problem = _("After the language, write a short summary of the problem.")
    elif named and explicit and chosen in LANGUAGES_BY_CODE and named != chosen:
        problem = _(
            "The title starts with %(named)s, but the language chosen is %(chosen)s. "
            "Which one is the ticket in? Choose it in the list, or change the title."
        ) % {
            "named": LANGUAGES_BY_CODE[named].own_name,
            "chosen": LANGUAGES_BY_CODE[chosen].own_name,
        }
    else:
        problem = None
    language = named or (chosen if explicit else clear_language(description) or chosen)
    return language, rest, problem


class TicketForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the ticket"), choices=LANGUAGE_CHOICES)
    # The default the language field was shown with: a different value is the member's
    # own choice, which a language named in the title must not silently override.
    language_default = forms.CharField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Ticket title"),
        max_length=200,
        help_text=_(
            "A short summary. If it starts with a language, for example "
            '"Polski - Nie można przetworzyć zamówienia", the ticket is filed in that language.'
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
    screenshots = ScreenshotsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_screenshots(self.fields["screenshots"])
        if not self.is_bound:
            if self.initial.get("language") not in LANGUAGES_BY_CODE:
                self.initial["language"] = default_language(self.initial.get("description", ""))
            self.initial["language_default"] = self.initial["language"]

    @classmethod
    def prefilled(cls, query) -> "TicketForm":
        """An empty form with what the live chat passes along (?language=pl&description=),
        or with a draft of this form (its post kept through a sign-in)."""
        initial = {
            "language": query.get("language", ""),
            "summary": query.get("summary", "")[: cls.base_fields["summary"].max_length],
            "description": query.get("description", "")[:BODY_MAX_LENGTH],
        }
        return cls(initial=initial)

    def clean(self):
        data = super().clean()
        if "language" not in data or "summary" not in data:
            return data
        language, summary, problem = resolve_language(
            summary=data["summary"],
            description=data.get("description", ""),
            chosen=data["language"],
            default=data.pop("language_default", ""),
        )
        if problem:
            self.add_error("language" if summary else "summary", problem)
        data.update(language=language, summary=summary)
        return data

    def preview(self) -> dict:
        """What the fields as they stand would file: the language, the title (for the line
        under the title field) and the problem with them, if any."""
        language, summary, problem = resolve_language(
            summary=self["summary"].value() or "",
            description=self["description"].value() or "",
            chosen=self["language"].value() or "",
            default=self["language_default"].value() or "",
        )
        language = language if language in LANGUAGES_BY_CODE else default_language()
        return {
            "language": language,
            "title": title_for(language, summary or "…"),
            "problem": str(problem or ""),
        }


class TicketSearchForm(forms.Form):
    """My Technical Issues' filters: a status and words in the title or the messages."""

    q = forms.CharField(label=_("Search titles and messages"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )

    @property
    def is_filtering(self) -> bool:
        return bool(self.data.get("q", "").strip() or self.data.get("status"))

    def filter(self, tickets):
        if not self.is_valid():
            return tickets.none()
        if status := self.cleaned_data["status"]:
            tickets = tickets.filter(status=status)
        if words := self.cleaned_data["q"].strip():
            readable = Message.objects.filter(ticket=OuterRef("pk"), body__icontains=words)
            tickets = tickets.filter(
                Q(summary__icontains=words) | Exists(readable.exclude(kind=Message.Kind.NOTE))
            )
        return tickets.order_by("-last_activity", "-id")


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    screenshots = ScreenshotsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_screenshots(self.fields["screenshots"])


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
