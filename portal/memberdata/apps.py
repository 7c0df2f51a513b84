from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemberDataConfig(AppConfig):
    """Members' data: export, erasure, retention and the record of who looked."""

    name = "portal.memberdata"
    label = "memberdata"
    verbose_name = _("Members' data")

    def ready(self):
        from portal.memberdata import signals  # noqa: F401  (registers them)
