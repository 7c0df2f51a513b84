"""The guide's step A as a member follows it: the title names the language, the language
field and the live preview under it agree, and the ticket is filed in that language."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import WORDS, speak

pytestmark = pytest.mark.usefixtures("members_back_in_english")
SHOTS = "/tmp/shots/members-tickets"
PREVIEW = {"en": "It will be filed as:", "pl": "Zgłoszenie otrzyma tytuł:"}
CLASH = {"en": "The title starts with Polski", "pl": "Tytuł zaczyna się od „Polski”"}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_guides_example_files_a_polish_ticket_with_that_title(
    page, sign_in, base_url, language
):
    words = WORDS[language]
    summary = f"Polski - Nie można przetworzyć zamówienia {uuid.uuid4().hex[:6]}"
    sign_in(page, "silver")
    speak(page, language)
    page.goto(f"{base_url}/tech-issues/new/")
    field = page.get_by_label(words["language"])
    expect(page.locator(".title-preview")).to_contain_text(PREVIEW[language])
    page.get_by_label(words["summary"]).fill("Deutsch - Anmeldung")
    expect(page.locator("#title-preview-text")).to_have_text("Deutsch - Anmeldung")
    expect(field).to_have_value("de")
    page.get_by_label(words["summary"]).fill(summary)
    expect(page.locator("#title-preview-text")).to_have_text(summary)
    expect(field).to_have_value("pl")

    # The member picks another language themselves: the page asks which one it is.
    field.select_option("de")
    expect(page.locator("[data-title-preview-problem]")).to_contain_text(CLASH[language])
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/title-clash-{language}-{width}.png", full_page=True)
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_label(words["description"]).fill("Klikam Zamów i widzę błąd 500.")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("main .invalid-feedback")).to_contain_text(CLASH[language])
    expect(page.get_by_label(words["summary"])).to_have_value(summary)

    field.select_option("pl")
    expect(page.locator("[data-title-preview-problem]")).to_have_text("")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))
    expect(page.locator("h1")).to_have_text(summary)


def test_an_untouched_language_follows_the_description(page, sign_in, base_url):
    sign_in(page, "silver")
    speak(page, "en")
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label("Ticket title").fill("Anmeldung geht nicht")
    page.get_by_label("Detailed description").fill(
        "Ich kann mich nicht anmelden, das Passwort geht nicht"
    )
    expect(page.get_by_label("Language of the ticket")).to_have_value("de")
    expect(page.locator("#title-preview-text")).to_have_text("Deutsch - Anmeldung geht nicht")


def test_a_preview_still_due_when_the_form_is_sent_is_never_asked_for(page, sign_in, base_url):
    """The answer to the post replaces the page. A preview asked for after it once reached
    the sign-in page of a member signed out meanwhile, whose rendering set a new CSRF
    cookie under the sign-in form being filled in the same browser."""
    sign_in(page, "silver")
    speak(page, "en")
    page.clock.install()  # the page's timers run only when the test moves the clock
    page.goto(f"{base_url}/tech-issues/new/")
    asked = []
    page.on("request", lambda request: asked.append((request.method, request.url)))
    page.get_by_label("Ticket title").fill(f"English - Cart {uuid.uuid4().hex[:6]}")
    page.get_by_label("Detailed description").fill("Cart, Save, error 500.")
    page.get_by_role("button", name="Submit Tech Issue").click()  # the preview still due
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))
    page.clock.run_for(1000)
    page.wait_for_timeout(300)  # real time for a request the timer would have sent
    posted = next(i for i, (method, _) in enumerate(asked) if method == "POST")
    assert not [url for _, url in asked[posted:] if "/new/title/" in url]
