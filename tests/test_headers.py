"""Security headers on every page (ASVS 3.4, Django's deployment checklist)."""

import re

import pytest


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/tech-issues/", "/chat/"])
def test_it_sends_a_strict_policy_on_every_page(client, silver, path):
    client.force_login(silver)
    response = client.get(path)
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_has_an_inline_script_or_style(client, silver):
    client.force_login(silver)
    for path in ["/accounts/login/", "/", "/tech-issues/", "/chat/"]:
        page = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page, re.IGNORECASE):
            # Code comes from files; data may be inline, as json_script writes it.
            assert " src=" in tag or 'type="application/json"' in tag, tag
        assert "<style" not in page
        assert " style=" not in page
        assert " onclick=" not in page
        assert "javascript:" not in page


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, silver, settings):
    silver.set_password("cookie-secret-3")
    silver.save()
    response = client.post(
        "/accounts/login/", {"username": "silver", "password": "cookie-secret-3"}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # No script reads the token from the cookie: forms carry it in a hidden field.
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_SECURE is False  # the embedded profile is plain HTTP


def test_it_sends_the_policy_the_settings_hold_now(client, silver, settings):
    # The policy is built once per settings (helpdesk.middleware): a change is seen.
    client.force_login(silver)
    assert directives(client.get("/"))["img-src"] == ["'self'", "data:", "blob:"]
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    policy["DIRECTIVES"]["img-src"] = ["'self'"]
    settings.CONTENT_SECURITY_POLICY = policy
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get("/")
    assert directives(response)["img-src"] == ["'self'"]
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_view_that_changes_its_policy_or_uses_a_nonce_gets_its_own(rf, settings):
    from csp.constants import NONCE
    from csp.decorators import csp_exempt, csp_update
    from django.http import HttpResponse

    from helpdesk.middleware import ContentSecurityPolicyMiddleware

    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}

    @csp_update({"img-src": ["https://images.example"]})
    def updated(request):
        return HttpResponse()

    @csp_exempt()
    def exempt(request):
        return HttpResponse()

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    def plain(request):
        return HttpResponse()

    def served(view):
        return ContentSecurityPolicyMiddleware(view)(rf.get("/"))

    assert "https://images.example" in served(updated)["Content-Security-Policy"]
    answer = served(with_nonce)
    assert f"'nonce-{answer.content.decode()}'" in answer["Content-Security-Policy"]
    assert "https://images.example" not in served(plain)["Content-Security-Policy"]
    assert "nonce" not in served(plain)["Content-Security-Policy"]
    assert served(exempt).get("Content-Security-Policy") is None
