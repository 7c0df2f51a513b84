"""When support is open, as plain arithmetic on a Schedule (no database, no clock).

hours.current answers for the hours an administrator set (hours.models); a Schedule's own
methods answer for any schedule. Times are compared in the schedule's
time zone; durations are measured in UTC, so a day that changes the clock counts the hours
it really had.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOOK_AHEAD_DAYS = 400  # holidays may close many days in a row; a year and a bit is enough


@dataclass(frozen=True)
class Schedule:
    """Weekly opening windows (weekday 0 = Monday: [(opens, closes), ...]; closes at 00:00
    means midnight) and closed dates, in one time zone. `limited` False: always open."""

    time_zone: str = "UTC"
    windows: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    limited: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open periods as aware datetimes of the schedule's zone."""
        if day in self.holidays:
            return []
        periods = []
        for opens, closes in self.windows.get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end_day = day + timedelta(days=1) if closes == time(0) else day
            periods.append((start, datetime.combine(end_day, closes, tzinfo=self.zone)))
        return periods

    def is_open(self, at: datetime) -> bool:
        if not self.limited:
            return True
        local = at.astimezone(self.zone)
        return any(start <= local < end for start, end in self.periods_on(local.date()))

    def next_opening(self, at: datetime) -> datetime | None:
        """When support next opens after `at` (None: open now, or never within a year)."""
        if self.is_open(at):
            return None
        local = at.astimezone(self.zone)
        for offset in range(LOOK_AHEAD_DAYS):
            for start, _end in self.periods_on(local.date() + timedelta(days=offset)):
                if start > local:
                    return start
        return None

    def business_seconds_between(self, start: datetime, end: datetime) -> float:
        """Seconds of opening hours from `start` to `end` (0 when end is not later)."""
        if end <= start:
            return 0.0
        if not self.limited:
            return (end - start).total_seconds()
        total = 0.0
        day = start.astimezone(self.zone).date() - timedelta(days=1)  # a window past midnight
        while day <= end.astimezone(self.zone).date():
            for opens, closes in self.periods_on(day):
                begin, finish = max(opens, start), min(closes, end)
                if finish > begin:
                    total += (finish.astimezone(UTC) - begin.astimezone(UTC)).total_seconds()
            day += timedelta(days=1)
        return total
