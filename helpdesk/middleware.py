"""The portal's own middleware: sign-in for scripts, private pages, and the
Content-Security-Policy built once."""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control

from portal.drafts import draft_keep_post


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's sign-in for every page, with two exceptions.

    A script asking for JSON (the ticket form's title preview, the check after a lost
    post) is answered 401 instead of being sent to the sign-in page. Following that
    redirect would render the sign-in page in the background, and its new CSRF cookie
    would void the token of a sign-in form open in the same browser: the member's next
    sign-in would fail.

    A form posted to a view that keeps signed-out posts (portal.drafts) is kept as a
    draft, and the sign-in page leads back to the form filled with it."""

    def handle_no_permission(self, request, view_func):
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse({"signed_in": False}, status=401)
        kind = getattr(view_func, "keeps_signed_out_posts", None)
        if request.method == "POST" and kind:
            # Signed out after the form was opened: keep what was typed, so that signing
            # in leads back to the form filled again (portal.drafts).
            back = f"{request.path}?draft={draft_keep_post(request, kind)}"
            login_url = resolve_url(self.get_login_url(view_func))
            return redirect_to_login(back, login_url, self.get_redirect_field_name(view_func))
        return super().handle_no_permission(request, view_func)


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


# What django-csp's view decorators set on a response to change its policy.
CHANGED_BY_VIEW = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def _policies() -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """Each policy the settings define: its header, its text, the path prefixes it skips
    and the attribute that exempts a response from it (csp_exempt)."""
    policies = []
    for header, name, exempt in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
    ):
        if policy := build_policy(report_only=header == HEADER_REPORT_ONLY):
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            policies.append((header, policy, tuple(prefixes), exempt))
    return tuple(policies)


@receiver(setting_changed)
def _policy_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once from the settings rather than
    twice a response (the enforced one and the report-only one): building them was the
    costliest step of the stack, 45-68 us a page (bench/FINDINGS.md, page overhead). A
    response whose view changed its policy (django-csp's decorators) or whose page used a
    nonce, and every response under DEBUG, is built as django-csp builds it."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in CHANGED_BY_VIEW)
        ):
            return super().process_response(request, response)
        for header, policy, prefixes, exempt in _policies():
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
