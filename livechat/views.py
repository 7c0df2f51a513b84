from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from portal.access import is_agent


@login_not_required
def start(request):
    return render(request, "livechat/start.html")


def console(request):
    if not is_agent(request.user):
        raise PermissionDenied
    return render(request, "livechat/console.html")
