from functools import cache, partial

from django.utils.functional import SimpleLazyObject

from portal.access import can_open_tech_issues, is_agent, lowest_rank_for_tech_issues


def portal(request):
    """Expose the two access answers to templates, computed only if a template asks, and
    "layout": what the layout's cached fragments show of the person (base.html)."""
    user = getattr(request, "user", None)
    if user is None:
        # Refused before AuthenticationMiddleware ran (e.g. an unknown Host): the error page
        # must still render (as for a visitor: `user` is then an AnonymousUser).
        return {}
    agent = cache(partial(is_agent, user))  # asked once a page at most
    return {
        "user_is_agent": agent,
        "user_can_open_tech_issues": partial(can_open_tech_issues, user),
        "tech_issues_lowest_rank": lowest_rank_for_tech_issues,
        "layout": SimpleLazyObject(partial(layout, user, agent)),
    }


def layout(user, agent) -> str:
    """Who the navigation is drawn for: signed in or not, staff, agent, and the name shown
    (last: the one free-form part, so no two people's keys can be the same)."""
    if not user.is_authenticated:
        return "visitor"
    return f"{user.is_staff}:{agent()}:{user.get_username()}"
