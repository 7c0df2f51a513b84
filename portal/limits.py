"""Rate limits on what people create (SECURITY.md), and the status of a form page.

django-ratelimit counts in the cache, so with REDIS_URL the counts hold across processes.
Only a submission that is otherwise valid counts: a form sent back for a typo costs nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from portal.sessions import session_key

RATE_LIMITED = "rate_limited"  # the code of the form error a limit adds


def _session(group, request) -> str:
    # A visitor without a session gets it here, as starting the chat would (so the first
    # chat counts too).
    return session_key(request)


def _member(group, request) -> str | None:
    return str(request.user.pk) if request.user.is_authenticated else None


def _address(group, request) -> str:
    # REMOTE_ADDR only: a client sets X-Forwarded-For as it likes. Behind a proxy, daphne's
    # --proxy-headers puts the client's address here (SECURITY.md).
    return request.META.get("REMOTE_ADDR") or "unknown"


def _limits(action: str) -> list[tuple]:
    """(key, rate) pairs, checked in this order: every one must allow the action."""
    return {
        "chat": [
            (_address, settings.RATE_LIMIT_CHATS_PER_ADDRESS),
            (_session, settings.RATE_LIMIT_CHATS_PER_SESSION),
        ],
        "ticket": [(_member, settings.RATE_LIMIT_TICKETS_PER_MEMBER)],
        "reply": [(_member, settings.RATE_LIMIT_REPLIES_PER_MEMBER)],
        "export": [(_member, settings.RATE_LIMIT_EXPORTS_PER_MEMBER)],
    }[action]


MESSAGES = {
    "chat": _(
        "You have started too many chats in a short time. Please wait a while and try again."
    ),
    "ticket": _(
        "You have submitted too many technical issues in the last hour. "
        "Please wait a while and try again: what you typed is kept below."
    ),
    "reply": _(
        "You are sending replies too fast. Please wait a minute and send it again: "
        "what you typed is kept below."
    ),
    "export": _(
        "You have downloaded your data several times in the last hour. "
        "Please wait a while and try again."
    ),
}


def over_limit(request, form: Form, action: str) -> bool:
    """Count one `action` ("chat", "ticket", "reply" or "export") by this request against each of
    its limits. Over any of them, put the reason on the form (keeping every value typed)
    and answer True: the view shows the form again instead of acting."""
    for n, (key, rate) in enumerate(_limits(action)):
        if key(None, request) is None:
            continue  # e.g. no member to count for
        if is_ratelimited(request, group=f"{action}:{n}", key=key, rate=rate, increment=True):
            form.add_error(None, ValidationError(MESSAGES[action], code=RATE_LIMITED))
            return True
    return False


def form_status(form: Form) -> int:
    """The status of a form page: 200 to fill it in, 429 when a rate limit refused it,
    400 when a field did (the page says what to fix either way)."""
    if not form.is_bound or not form.errors:
        return 200
    return 429 if form.has_error("__all__", RATE_LIMITED) else 400
