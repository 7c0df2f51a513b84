"""The portal's URLs plus /bench/fixed/, the reference of ticket_list."""

from django.http import HttpResponse
from django.urls import path

from helpdesk.urls import urlpatterns as portal_urlpatterns

FIXED_BODY = b"<!doctype html><title>fixed</title><p>A fixed response for the benchmarks.</p>"


def fixed(request):
    """Answer a fixed page: what the server, the middleware and the session cost without a
    view's own work. Sign-in is required, as for My Technical Issues, so both run the same
    middleware, session lookup included."""
    return HttpResponse(FIXED_BODY)


urlpatterns = [
    path("bench/fixed/", fixed),
    # The same view, served by bench/asgi.py under a middleware stack cut short.
    path("bench/stack/<int:count>/", lambda request, count: fixed(request)),
    *portal_urlpatterns,
]
