"""The sign-in lockout as a person meets it (item 8): a warning before the last attempt,
then a locked page with ways forward. An unknown username is locked, so that the demo
members the other journeys use stay open."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

SHOTS = "/tmp/shots/members-tickets"
SAYS = {
    "en": ("Username", "Password", "Sign in", "One attempt left", "Tech Support Chat"),
    "pl": (
        "Nazwa użytkownika",
        "Hasło",
        "Zaloguj się",
        "Została jedna próba",
        "Czat z\u00a0zespołem pomocy technicznej",
    ),
}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_is_warned_then_shown_the_ways_forward(page, base_url, language):
    username_label, password_label, button, warning, chat = SAYS[language]
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch ~ button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    username = f"ghost-{uuid.uuid4().hex[:8]}"
    for attempt in range(1, 6):
        page.get_by_label(username_label).fill(username)
        page.get_by_label(password_label).fill("wrong")
        page.locator("main").get_by_role("button", name=button).click()
        if attempt < 4:
            expect(page.locator("main")).not_to_contain_text(warning)
        elif attempt == 4:
            expect(page.get_by_role("alert").filter(has_text=warning)).to_be_visible()
            page.screenshot(path=f"{SHOTS}/login-warning-{language}.png")
    main = page.locator("main")
    for href in ("/", "/accounts/login/", "/accounts/password_reset/", "/chat/"):
        expect(main.locator(f'a[href="{href}"]')).to_have_count(1)
    expect(main.get_by_role("link", name=chat)).to_be_visible()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/locked-{language}-{width}.png", full_page=True)
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
