from datetime import timedelta

from django import template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """Minutes in a duration, rounded up: "try again in 15 minutes" must not be too early."""
    if not duration:
        return 0
    return -(-int(duration.total_seconds()) // 60)


@register.filter
def has_field_errors(form) -> bool:
    """Whether a field of the form was refused: only then is there something "below" to
    correct (a rate limit or another whole-form refusal names no field)."""
    return any(name != NON_FIELD_ERRORS for name in form.errors)
