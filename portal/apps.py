from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Members")

    def ready(self):
        from helpdesk import checks as production_checks  # noqa: F401  (the project's own)
        from portal import checks, signals  # noqa: F401  (registers them)
