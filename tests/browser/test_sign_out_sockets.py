"""Signing out over HTTP, as a person does, closes the chat socket the session has open in
another tab within 5 s (channels#1324), across the real daphne, cookies and CSRF."""

import re

from playwright.sync_api import expect


def test_signing_out_closes_the_chat_in_another_tab(page, sign_in, base_url):
    # English, whatever other journeys left in the demo member's profile.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    sign_in(page, "diamond")
    chat = page.context.new_page()
    chat.goto(f"{base_url}/chat/")
    chat.get_by_label("How can we help?").fill("My invoice page does not load at all.")
    chat.get_by_role("button", name="Start chat").click()
    expect(chat).to_have_url(re.compile(r"/chat/[0-9a-f-]{36}/$"))
    expect(chat.locator("#connection")).to_have_text("Connected")
    page.goto(f"{base_url}/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(chat.locator("#connection")).to_contain_text(
        "This chat is not open to you any more (did you sign out?)", timeout=5000
    )
