"""Who may do what: the one place that compares ranks and recognises agents."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render

from portal.models import Profile, Rank

AGENTS_GROUP = "Support agents"


def is_agent(user) -> bool:
    """Answer whether the user works the support queues (an active staff member of the
    group "Support agents", or a superuser)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=AGENTS_GROUP).exists()


def make_agent_of(user: User) -> None:
    """Make a saved user one whom is_agent() answers yes for: staff, in the agents' group."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    # The migrations make the group, but a flushed database (transactional tests) has none.
    user.groups.add(Group.objects.get_or_create(name=AGENTS_GROUP)[0])


def agents():
    """Return the users is_agent() answers yes for, as a QuerySet (to notify or assign)."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=AGENTS_GROUP), is_active=True, is_staff=True
    ).distinct()


def member_rank(user) -> Rank | None:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    try:
        return Rank(user.profile.rank)
    except Profile.DoesNotExist:
        return None


def lowest_rank_for_tech_issues() -> Rank:
    return Rank[settings.TECH_ISSUES_LOWEST_RANK]


def can_open_tech_issues(user) -> bool:
    """Answer whether the user may open Technical Issues: members of the lowest rank
    allowed (a setting, Silver by default) or higher, and agents."""
    if is_agent(user):
        return True
    rank = member_rank(user)
    return rank is not None and rank >= lowest_rank_for_tech_issues()


def tech_issues_required(view):
    """Let members of a high enough rank through; show everyone else the page that
    explains which rank opens Technical Issues (sign-in is required by the middleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if can_open_tech_issues(request.user):
            return view(request, *args, **kwargs)
        context = {
            "required_rank": lowest_rank_for_tech_issues(),
            "member_rank": member_rank(request.user),
        }
        return render(request, "portal/rank_required.html", context, status=403)

    return wrapper


def agent_required(view):
    """Let agents through; anyone else (sign-in is required by the middleware) gets a 403,
    which tells a member nothing about what the agents' pages hold."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
