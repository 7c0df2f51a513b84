from django import forms
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.limits import form_status, over_limit
from portal.memberdata.export import (
    archive_chunks,
    in_thread,
    member_chats,
    member_screenshots,
    member_tickets,
)
from portal.memberdata.models import RetentionPolicy


class ExportForm(forms.Form):
    """The download button: no fields, only the CSRF token and the rate limit."""


@never_cache
@require_http_methods(["GET", "POST"])
def your_data(request):
    """What the portal keeps about the member, and the button that downloads all of it."""
    form = ExportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid() and not over_limit(request, form, "export"):
        return _archive(request)
    member = request.user
    context = {
        "form": form,
        "tickets": member_tickets(member).count(),
        "screenshots": member_screenshots(member).count(),
        "chats": member_chats(member).count(),
        "policy": RetentionPolicy.current(),
    }
    return render(request, "memberdata/your_data.html", context, status=form_status(form))


def _archive(request) -> StreamingHttpResponse:
    now = timezone.now()
    chunks = archive_chunks(request.user, now=now)
    # Under daphne the pieces must come from an async iterator, or Django reads them all
    # into memory before sending the first (export.in_thread).
    content = in_thread(chunks) if isinstance(request, ASGIRequest) else chunks
    response = StreamingHttpResponse(content, content_type="application/zip")
    filename = f"portal-data-{request.user.get_username()}-{now:%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
