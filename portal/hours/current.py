"""Support hours as the administrator set them: what the chat and the SLA clock ask.

from portal.hours.current import is_open, business_seconds_between, next_opening
"""

from datetime import datetime

from django.core.cache import cache

from portal.hours.models import SupportHours
from portal.hours.schedule import Schedule

CACHE_KEY = "hours.schedule"
CACHE_SECONDS = 60  # saving in the admin clears it at once; this bounds other processes


def schedule() -> Schedule:
    """The configured schedule (always open when none is set)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        hours = SupportHours.objects.prefetch_related("windows", "holidays").first()
        found = hours.schedule() if hours is not None else Schedule()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def forget() -> None:
    cache.delete(CACHE_KEY)


def is_open(at: datetime) -> bool:
    """Whether support is open at `at`."""
    return schedule().is_open(at)


def business_seconds_between(start: datetime, end: datetime) -> float:
    """Seconds of support hours between two moments (all of them when hours are not limited)."""
    return schedule().business_seconds_between(start, end)


def next_opening(at: datetime) -> datetime | None:
    """When support opens next after `at` (None when open now)."""
    return schedule().next_opening(at)
