from django.conf import settings
from django.utils import translation


class MemberLanguageMiddleware:
    """Speak a signed-in member's preferred language until they pick one with the switch
    (which sets the language cookie and takes precedence)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = getattr(getattr(user, "profile", None), "preferred_language", None)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
