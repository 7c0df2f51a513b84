from functools import partial

from portal.access import can_open_tech_issues, is_agent, lowest_rank_for_tech_issues


def portal(request):
    """Expose the two access answers to templates, computed only if a template asks."""
    user = getattr(request, "user", None)
    if user is None:
        # Refused before AuthenticationMiddleware ran (e.g. an unknown Host): the error page
        # must still render.
        return {}
    return {
        "user_is_agent": partial(is_agent, user),
        "user_can_open_tech_issues": partial(can_open_tech_issues, user),
        "tech_issues_lowest_rank": lowest_rank_for_tech_issues,
    }
