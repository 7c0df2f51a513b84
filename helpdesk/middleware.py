"""Responses that show someone's own data are kept by no cache."""

from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """A page for a signed-in member or agent, or for a visitor whose session holds their
    chat, is `Cache-Control: private, no-store`: no shared cache keeps it, and neither does
    the browser once the tab is closed (a shared computer's next user pressing Back). A view
    that says how it may be cached keeps its word (screenshots: private, for an hour)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.user.is_authenticated or not request.session.is_empty():
            patch_cache_control(response, private=True, no_store=True)
        return response
