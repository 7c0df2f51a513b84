from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.models import Profile


def home(request):
    return render(request, "portal/home.html")


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language, and remember it on a signed-in member's profile
    (e-mails to the member are written in it)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        Profile.objects.filter(user=request.user).update(preferred_language=language)
    return response
