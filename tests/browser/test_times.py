"""The chat's times follow the portal's rule, not the browser's: the portal's time zone (UTC
in these journeys) and the interface language's format, from a browser in New York."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_tickets import speak

pytestmark = pytest.mark.usefixtures("members_back_in_english")


@pytest.mark.parametrize(("language", "pattern"), [("pl", "%H:%M"), ("en", "%-I:%M\u202f%p")])
def test_chat_times_are_the_portals_from_a_browser_elsewhere(
    browser, browser_context_args, base_url, language, pattern
):
    context = browser.new_context(
        **{**browser_context_args, "timezone_id": "America/New_York", "locale": "en-US"}
    )
    page = context.new_page()
    page.goto(f"{base_url}/")
    speak(page, language)
    page.goto(f"{base_url}/chat/")
    page.locator("[name=name]").fill("Tz")
    page.locator("[name=email]").fill("tz@example.com")
    page.locator("[name=question]").fill("What time is it on your side?")
    page.locator("main form", has=page.locator("[name=question]")).locator(
        "button[type=submit]:not([name=action])"
    ).click()
    time = page.locator("#log time").first
    expect(time).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"))
    sent = datetime.fromisoformat(time.get_attribute("datetime"))
    expect(time).to_have_text(sent.strftime(pattern))
    context.close()
