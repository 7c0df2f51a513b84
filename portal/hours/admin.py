from django.contrib import admin

from portal.hours import current
from portal.hours.models import Holiday, OpeningWindow, SupportHours


class OpeningWindowInline(admin.TabularInline):
    model = OpeningWindow
    extra = 1


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


@admin.register(SupportHours)
class SupportHoursAdmin(admin.ModelAdmin):
    """The portal's one set of support hours, changed without a deploy."""

    list_display = ("__str__", "limited")
    fields = ("limited", "time_zone")
    inlines = [OpeningWindowInline, HolidayInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SupportHours.objects.exists()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        current.forget()  # the chat pages speak of the new hours at once

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        current.forget()
