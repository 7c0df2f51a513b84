from django.conf import settings
from django.core.checks import Error, register

from portal.models import Rank


@register()
def tech_issues_lowest_rank_is_a_rank(app_configs, **kwargs):
    if settings.TECH_ISSUES_LOWEST_RANK in Rank.names:
        return []
    return [
        Error(
            f"TECH_ISSUES_LOWEST_RANK is {settings.TECH_ISSUES_LOWEST_RANK!r}",
            hint=f"Use one of {', '.join(Rank.names)}.",
            id="portal.E001",
        )
    ]
