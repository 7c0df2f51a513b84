from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """Minutes in a duration, rounded up: "try again in 15 minutes" must not be too early."""
    if not duration:
        return 0
    return -(-int(duration.total_seconds()) // 60)
