"""The member's rating of the help, once per ticket or chat (Ticket and Chat both carry
`rating`, `rating_comment` and `rated_at`).

One form and one page serve both, reached from the ticket's page, the chat's page after the
end, and a link in the e-mails. The link carries a signed token naming the one ticket or
chat: it needs no sign-in and can rate nothing else, and it works once, because a rating
is written only while `rated_at` is empty.
"""

from datetime import timedelta

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SALT = "portal.rating"
VALID_FOR = timedelta(days=60)
# kind in the token -> (model, whether it is over and may be rated)
KINDS = {
    "ticket": ("tickets.Ticket", lambda ticket: ticket.status in ("resolved", "closed")),
    "chat": ("livechat.Chat", lambda chat: chat.state == "ended" and chat.agent_id is not None),
}
SCALE = [
    (5, _("5 – Excellent")),
    (4, _("4 – Good")),
    (3, _("3 – Okay")),
    (2, _("2 – Poor")),
    (1, _("1 – Very poor")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How would you rate the help you got?"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _kind_of(obj) -> str:
    return {"tickets.ticket": "ticket", "livechat.chat": "chat"}[obj._meta.label_lower]


def rating_path(obj) -> str:
    """The rating page of one ticket or chat (a path, for the portal's own pages)."""
    token = signing.dumps({"kind": _kind_of(obj), "id": str(obj.pk)}, salt=SALT)
    return reverse("rate", args=[token])


def rating_url(obj) -> str:
    """The same page's full address, for e-mails (the transcript's and the resolved one)."""
    return settings.PORTAL_URL.rstrip("/") + rating_path(obj)


def rating_target(token: str):
    """The ticket or chat a token names, or None for a forged, stale or unknown one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
        label, _over = KINDS[data["kind"]]
        return apps.get_model(label).objects.filter(pk=data["id"]).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def may_rate(obj) -> bool:
    """Over (a resolved or closed ticket, a chat an agent ended) and not rated yet."""
    return obj.rated_at is None and KINDS[_kind_of(obj)][1](obj)


def rating_record(obj, *, rating: int, comment: str = "") -> bool:
    """Store the rating unless one is there already (answer False): once, even when two
    posts race."""
    stored = (
        type(obj)
        .objects.filter(pk=obj.pk, rated_at__isnull=True)
        .update(rating=rating, rating_comment=comment.strip(), rated_at=timezone.now())
    )
    obj.refresh_from_db(fields=["rating", "rating_comment", "rated_at"])
    return bool(stored)
