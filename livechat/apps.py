from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivechatConfig(AppConfig):
    name = "livechat"
    verbose_name = _("Tech Support Chat")

    def ready(self):
        from livechat import signals  # noqa: F401  (connects the receivers)
