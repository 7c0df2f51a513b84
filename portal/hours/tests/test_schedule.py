"""Support hours as arithmetic: open or not, the next opening, business seconds (the SLA clock)."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.cache import cache

from portal.hours import current
from portal.hours.models import Holiday, OpeningWindow, SupportHours
from portal.hours.schedule import Schedule

NINE_TO_FIVE = ((time(9), time(17)),)
# Warsaw, Monday to Friday 9-17; Friday 2025-01-10 is a holiday.
OFFICE = Schedule(
    time_zone="Europe/Warsaw",
    windows=dict.fromkeys(range(5), NINE_TO_FIVE),
    holidays=frozenset({date(2025, 1, 10)}),
    limited=True,
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_an_unlimited_schedule_is_always_open():
    assert Schedule().is_open(utc(2025, 1, 11, 3))
    assert Schedule().business_seconds_between(utc(2025, 1, 1), utc(2025, 1, 2)) == 86400


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (utc(2025, 1, 6, 7, 59), False),  # Monday 08:59 in Warsaw
        (utc(2025, 1, 6, 8, 0), True),  # 09:00
        (utc(2025, 1, 6, 15, 59), True),  # 16:59
        (utc(2025, 1, 6, 16, 0), False),  # 17:00 closes
        (utc(2025, 1, 10, 10), False),  # the holiday
        (utc(2025, 1, 11, 10), False),  # Saturday
    ],
)
def test_it_is_open_by_the_local_clock(at, open_):
    assert OFFICE.is_open(at) is open_


def test_the_next_opening_skips_the_weekend_and_the_holiday():
    thursday_evening = utc(2025, 1, 9, 18)
    assert OFFICE.next_opening(thursday_evening) == datetime(2025, 1, 13, 9, tzinfo=OFFICE.zone)
    assert OFFICE.next_opening(utc(2025, 1, 6, 10)) is None


def test_business_seconds_count_only_opening_hours():
    # Thursday 16:00 to Monday 10:00 (Warsaw): 1 h Thursday, the holiday, the weekend, 1 h.
    start, end = utc(2025, 1, 9, 15), utc(2025, 1, 13, 9)
    assert OFFICE.business_seconds_between(start, end) == 2 * 3600
    assert OFFICE.business_seconds_between(end, start) == 0


def test_a_day_that_changes_the_clock_counts_its_real_hours():
    night = Schedule(time_zone="Europe/Warsaw", windows={6: ((time(0), time(0)),)}, limited=True)
    # Sunday 2025-03-30: clocks go forward at 02:00, the day has 23 hours.
    day = night.business_seconds_between(utc(2025, 3, 29, 12), utc(2025, 3, 31, 12))
    assert day == 23 * 3600


@pytest.mark.django_db
def test_the_administrators_hours_are_what_the_chat_asks(admin_client):
    cache.clear()
    assert current.is_open(utc(2025, 1, 11, 10))  # nothing set: open
    response = admin_client.post(
        "/admin/hours/supporthours/add/",
        {
            "limited": "on",
            "time_zone": "Europe/Warsaw",
            "windows-TOTAL_FORMS": "1",
            "windows-INITIAL_FORMS": "0",
            "windows-0-weekday": "0",
            "windows-0-opens": "09:00",
            "windows-0-closes": "17:00",
            "holidays-TOTAL_FORMS": "1",
            "holidays-INITIAL_FORMS": "0",
            "holidays-0-date": "2025-01-13",
            "holidays-0-name": "Company day",
        },
    )
    assert response.status_code == 302
    assert OpeningWindow.objects.count() == Holiday.objects.count() == 1
    assert current.is_open(utc(2025, 1, 6, 10))  # Monday 11:00 Warsaw
    assert not current.is_open(utc(2025, 1, 13, 10))  # the holiday
    assert admin_client.get("/admin/hours/supporthours/add/").status_code == 403  # one only
    assert SupportHours.objects.count() == 1


@pytest.mark.django_db
def test_a_window_must_close_after_it_opens(admin_client):
    hours = SupportHours.objects.create(limited=True)
    window = OpeningWindow(hours=hours, weekday=0, opens=time(17), closes=time(9))
    with pytest.raises(Exception, match="after opening"):
        window.full_clean()
    OpeningWindow(hours=hours, weekday=0, opens=time(17), closes=time(0)).full_clean()
