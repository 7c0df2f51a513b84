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


@register.simple_tag
def counted(opts, count) -> str:
    """The admin's "6 technical issues": a model's `counted_as` has every plural form of its
    language (Polish has four; Django's verbose_name_plural is one); else Django's words."""
    words = getattr(opts.model, "counted_as", None)
    if words is not None:
        return words % {"count": count}
    return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"


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
