from urllib.parse import parse_qs, urlsplit

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.models import Profile
from portal.ratings import RatingForm, may_rate, rating_record, rating_target
from portal.templatetags.portal_tags import whole_minutes


class PortalLoginView(LoginView):
    """Django's sign-in, warning before the last attempt that the lockout (django-axes)
    would allow: a member who knows it is coming can reset the password instead. Leading
    back to a form kept when it was posted signed out (portal.drafts), it says so."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        back = parse_qs(urlsplit(context.get("next") or "").query)
        return {**context, "kept_form": "draft" in back}

    def form_invalid(self, form):
        username = form.data.get("username", "")
        failures = AxesProxyHandler.get_failures(self.request, {"username": username})
        left = settings.AXES_FAILURE_LIMIT - failures
        context = self.get_context_data(
            form=form,
            last_attempt=left == 1,
            cooloff_minutes=whole_minutes(settings.AXES_COOLOFF_TIME),
        )
        return self.render_to_response(context)


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


@login_not_required
def rate(request, token):
    """Rate the help on one ticket or chat, by the signed link of its page or e-mail."""
    target = rating_target(token)
    if target is None:
        return render(request, "portal/rate.html", {"invalid": True}, status=404)
    form = RatingForm(request.POST if request.method == "POST" else None)
    context = {"target": target, "kind": target._meta.model_name, "form": form}
    if not may_rate(target):
        context["not_over"] = target.rated_at is None
        return render(
            request, "portal/rate.html", context, status=409 if context["not_over"] else 200
        )
    if request.method == "POST" and form.is_valid():
        rating_record(target, **form.cleaned_data)
        if context["kind"] == "ticket" and target.member_id == request.user.pk:
            messages.success(request, _("Thank you for rating the help."))
            return redirect(target)
        return render(request, "portal/rate.html", context)
    status = 400 if form.is_bound else 200
    return render(request, "portal/rate.html", context, status=status)


# Refused requests ----------------------------------------------------------------------------


@login_not_required
def bad_request(request, exception):
    """Django's 400 (handler400), with what went wrong in words: a request with too many
    files or too much data is refused before the view runs, so no form can say it."""
    if isinstance(exception, TooManyFilesSent):
        count = settings.TICKETS_SCREENSHOTS_PER_MESSAGE
        reason = ngettext(
            "You sent too many files at once: attach at most %(count)d screenshot.",
            "You sent too many files at once: attach at most %(count)d screenshots.",
            count,
        ) % {"count": count}
    elif isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        reason = _("What you sent is too large. Please shorten your text and try again.")
    else:
        reason = _("Your browser sent a request that the portal could not understand.")
    return render(request, "400.html", {"reason": reason}, status=400)
