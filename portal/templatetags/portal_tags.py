from datetime import UTC, timedelta

from django import template
from django.core.exceptions import NON_FIELD_ERRORS

from portal.ratings import RatingForm, rating_path

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """Minutes in a duration, rounded up: "try again in 15 minutes" must not be too early."""
    if not duration:
        return 0
    return -(-int(duration.total_seconds()) // 60)


@register.filter
def seconds_before(value, now) -> float:
    """How long before `now` a moment was: "0 minutes ago" reads as a fault, so a page says
    "just now" under a minute."""
    return (now - value).total_seconds()


@register.inclusion_tag("portal/_rating_form.html", takes_context=True)
def rating_form_for(context, obj):
    """The rating form of a ticket or chat, posting to its signed rating page (the chat's
    page renders it before the chat ends, and shows it after)."""
    return {
        "action": rating_path(obj),
        "form": RatingForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def machine_time(value) -> str:
    """A <time datetime> value that is valid HTML: whole seconds, in UTC ("…Z"); Django's
    date:"c" gives six-digit fractions, which the HTML standard does not allow."""
    if not value:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@register.filter
def has_field_errors(form) -> bool:
    """Whether a field of the form was refused: only then is there something "below" to
    correct (a rate limit or another whole-form refusal names no field)."""
    return any(name != NON_FIELD_ERRORS for name in form.errors)
