from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "portal.hours"
    label = "hours"
    verbose_name = _("Support hours")
    default_auto_field = "django.db.models.BigAutoField"
