from datetime import time
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.hours.schedule import Schedule


def _zones():
    return sorted((zone, zone) for zone in available_timezones())


class SupportHours(models.Model):
    """When agents answer the chat: one set of hours for the portal (the admin keeps it to
    one row)."""

    limited = models.BooleanField(
        _("limit support to these hours"),
        default=False,
        help_text=_("Off: support counts as open at all times."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", choices=_zones)

    class Meta:
        verbose_name = _("support hours")
        verbose_name_plural = _("support hours")

    def __str__(self):
        return str(_("Support hours (%(zone)s)") % {"zone": self.time_zone})

    def schedule(self) -> Schedule:
        windows: dict[int, list] = {}
        for window in self.windows.all():
            windows.setdefault(window.weekday, []).append((window.opens, window.closes))
        return Schedule(
            time_zone=self.time_zone,
            windows={day: tuple(sorted(times)) for day, times in windows.items()},
            holidays=frozenset(holiday.date for holiday in self.holidays.all()),
            limited=self.limited,
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningWindow(models.Model):
    hours = models.ForeignKey(SupportHours, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens is None or self.closes is None or self.closes == time(0):
            return  # a missing time is the field's own error; 00:00 closes at midnight
        if self.closes <= self.opens:
            raise ValidationError(
                {"closes": _("Closing must be after opening (use two rows past midnight).")}
            )


class Holiday(models.Model):
    hours = models.ForeignKey(SupportHours, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    # The admin's "{count} holidays", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s holiday", "%(count)s holidays", "count")

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["hours", "date"], name="hours_holiday_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()
