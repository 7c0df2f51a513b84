"""Rating the help in Chromium (item 14): a resolved ticket from its page and from the
e-mail's link without signing in, and a chat from its page after the end."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import WORDS, speak

pytestmark = pytest.mark.usefixtures("members_back_in_english")
SHOTS = "/tmp/shots/members-tickets"
SAYS = {
    "en": {
        "solved": "Mark as solved",
        "good": "4 – Good",
        "great": "5 – Excellent",
        "comment": "Anything you would like to add? (optional)",
        "send": "Send the rating",
        "rated": "You rated the help 4 out of 5.",
        "thanks": "Thank you: you rated the help 5 out of 5.",
    },
    "pl": {
        "solved": "Oznacz jako rozwiązane",
        "good": "4 – Dobrze",
        "great": "5 – Doskonale",
        "comment": "Chcesz coś dodać? (nieobowiązkowo)",
        "send": "Wyślij ocenę",
        "rated": "Oceniono pomoc na 4 z\u00a05.",
        "thanks": "Dziękujemy: oceniono pomoc na 5 z\u00a05.",
    },
}


def resolved_ticket(page, base_url, language):
    words, says = WORDS[language], SAYS[language]
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label(words["summary"]).fill(f"Rated {uuid.uuid4().hex[:8]}")
    page.get_by_label(words["description"]).fill("Steps: cart, order, error.")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))
    page.get_by_role("button", name=says["solved"]).click()
    expect(page.locator("form.rating-form")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_rates_a_resolved_ticket_on_its_page(page, sign_in, base_url, language):
    says = SAYS[language]
    sign_in(page, "silver")
    speak(page, language)
    resolved_ticket(page, base_url, language)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.locator("#rating").screenshot(path=f"{SHOTS}/rating-ticket-{language}-{width}.png")
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_label(says["good"]).check()
    page.get_by_label(says["comment"]).fill("Quick and clear")
    page.get_by_role("button", name=says["send"]).click()
    expect(page.locator("#rating")).to_contain_text(says["rated"])
    expect(page.locator("form.rating-form")).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_e_mail_link_rates_without_signing_in_once(
    page, browser, browser_context_args, sign_in, base_url, language
):
    says = SAYS[language]
    sign_in(page, "silver")
    speak(page, language)
    resolved_ticket(page, base_url, language)
    link = page.locator("form.rating-form").get_attribute("action")
    visitor = browser.new_context(**browser_context_args).new_page()
    visitor.goto(f"{base_url}{link}")
    visitor.locator("#language-switch").select_option(language)
    visitor.locator("#language-switch ~ button").click()
    expect(visitor.locator("html")).to_have_attribute("lang", language)
    visitor.get_by_label(says["great"]).check()
    visitor.get_by_role("button", name=says["send"]).click()
    expect(visitor.locator("main")).to_contain_text(says["thanks"])
    visitor.screenshot(path=f"{SHOTS}/rating-link-{language}.png")
    assert axe_violations(visitor) == []
    visitor.goto(f"{base_url}{link}")  # once only: the link now says what was given
    expect(visitor.locator("form.rating-form")).to_have_count(0)
    expect(visitor.locator("main")).to_contain_text(says["thanks"])
    visitor.context.close()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_visitor_rates_the_chat_after_the_agent_ends_it(
    page, browser, browser_context_args, sign_in, base_url, language
):
    says = SAYS[language]
    page.goto(f"{base_url}/")
    speak(page, language)
    page.goto(f"{base_url}/chat/")
    name = f"Rater {uuid.uuid4().hex[:6]}"
    page.locator("[name=name]").fill(name)
    page.locator("[name=email]").fill("rater@example.com")
    page.locator("[name=question]").fill("My order page shows error 500 after I pay.")
    page.locator("main form", has=page.locator("[name=question]")).locator(
        "button[type=submit]:not([name=action])"
    ).click()
    expect(page).to_have_url(re.compile(rf"{base_url}/chat/[0-9a-f-]{{36}}/"))
    expect(page.locator("form.rating-form")).to_be_hidden()

    agent = browser.new_context(**browser_context_args).new_page()
    sign_in(agent, "agent")
    agent.goto(f"{base_url}/chat/console/")
    agent.get_by_role("button", name=f"Accept: {name}").first.click()
    card = agent.locator("#chats article").filter(has_text=name).last
    card.get_by_label(f"Reply to {name}").fill("Fixed, please try again.")
    card.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Fixed, please try again.")
    card.get_by_role("button", name="End chat").click()
    confirm = card.get_by_role("button", name=re.compile("End"))
    if confirm.count() > 1:  # a confirmation step, if the console asks for one
        confirm.last.click()
    agent.context.close()

    rating = page.locator("form.rating-form")
    expect(rating).to_be_visible()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/rating-chat-{language}-{width}.png", full_page=True)
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_label(says["great"]).check()
    page.get_by_role("button", name=says["send"]).click()
    expect(page.locator("main")).to_contain_text(says["thanks"])
