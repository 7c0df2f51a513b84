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
