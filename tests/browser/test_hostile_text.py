"""Hostile text in Chromium, with the portal's real Content-Security-Policy in force (these
contexts do not bypass it): markup typed into a ticket, a reply, a chat's name, question
and messages shows as text and never runs, in the member's pages and the agent's console."""

import re

import pytest
from playwright.sync_api import expect

PAYLOADS = [
    "<script>window.__pwned='script';alert('script')</script>",
    "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "<a href=\"javascript:window.__pwned='link'\">click me</a> [md](javascript:alert('md'))",
    "\" autofocus onfocus=\"window.__pwned='attribute';alert('attribute')\" x=\"",
    "</textarea><svg onload=\"window.__pwned='svg'\">",
]
HOSTILE = " ".join(PAYLOADS)
ENGLISH = "Hello, I cannot sign in to my account since yesterday, please help me. "


class Watched:
    """A browser context with the real CSP, whose pages record every dialog. It speaks
    English whatever other journeys left in the demo members' profiles."""

    def __init__(self, browser, browser_context_args, base_url):
        args = {k: v for k, v in browser_context_args.items() if k != "bypass_csp"}
        self.context = browser.new_context(**args)
        self.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
        self.dialogs = []
        self.context.on("page", self.watch)

    def watch(self, page):
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def page(self):
        return self.context.new_page()


@pytest.fixture
def watched(browser, browser_context_args, base_url):
    contexts = []

    def make():
        contexts.append(Watched(browser, browser_context_args, base_url))
        return contexts[-1]

    yield make
    for watched_context in contexts:
        watched_context.context.close()


def assert_inert(page, watched_context, *texts):
    """Nothing ran, no markup of ours became an element, and the text shows as typed."""
    assert page.evaluate("() => window.__pwned") is None
    assert watched_context.dialogs == []
    main = page.locator("main")
    assert main.locator("img[src='x'], svg[onload], a[href^='javascript:']").count() == 0
    for text in texts:
        expect(main).to_contain_text(text)


def test_the_csp_is_really_in_force(watched, base_url):
    member = watched()
    page = member.page()
    page.goto(f"{base_url}/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement('script');
        s.textContent = "window.__pwned = 'inline'"; document.body.append(s); }"""
    )
    assert page.evaluate("() => window.__pwned") is None


def test_a_ticket_and_a_reply_show_markup_as_text(watched, sign_in, base_url):
    member = watched()
    page = member.page()
    sign_in(page, "silver")
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label("Language of the ticket").select_option("en")
    page.get_by_label("Ticket title").fill(PAYLOADS[3] + PAYLOADS[0])
    page.get_by_label("Detailed description").fill(HOSTILE)
    page.get_by_role("button", name="Submit Tech Issue").click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d+/$"))
    assert_inert(page, member, PAYLOADS[3] + PAYLOADS[0], *PAYLOADS)
    page.get_by_label("Your reply").fill("Reply: " + HOSTILE)
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.locator("main")).to_contain_text("Reply: ")
    page.reload()
    assert_inert(page, member, "Reply: " + PAYLOADS[0], *PAYLOADS)
    page.goto(f"{base_url}/tech-issues/")
    assert_inert(page, member, PAYLOADS[3] + PAYLOADS[0])


def test_a_chat_shows_markup_as_text_to_the_member_and_the_agent(watched, sign_in, base_url):
    member, agent = watched(), watched()
    page, console = member.page(), agent.page()
    sign_in(console, "agent")
    console.goto(f"{base_url}/chat/console/")
    page.goto(f"{base_url}/chat/")
    page.get_by_label("What is your name?").fill(PAYLOADS[1])
    page.get_by_label("Email address").fill("hostile@example.com")
    page.get_by_label("How can we help?").fill(ENGLISH + HOSTILE)
    page.get_by_role("button", name="Start chat").click()
    expect(page).to_have_url(re.compile(r"/chat/[0-9a-f-]{36}/$"))
    expect(page.locator("#connection")).to_have_text("Connected")
    assert_inert(page, member, *PAYLOADS)

    expect(console.locator("main")).to_contain_text(PAYLOADS[4])
    assert_inert(console, agent, PAYLOADS[1], *PAYLOADS)
    console.get_by_role("button", name=f"Accept: {PAYLOADS[1]}").click()
    expect(page.locator("#queue")).to_contain_text("You are chatting with")
    message = page.get_by_label("Your message")
    message.fill("Message: " + HOSTILE)
    message.press("Enter")
    card = console.locator("#chats article:not([data-over])").last  # the newest live card
    reply = card.get_by_label(re.compile("Reply to"))
    reply.fill("Agent: " + HOSTILE)
    card.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Agent: " + PAYLOADS[0])
    expect(card.get_by_role("log")).to_contain_text("Message: " + PAYLOADS[0])
    assert_inert(page, member, "Message: " + PAYLOADS[0], "Agent: " + PAYLOADS[0], *PAYLOADS)
    assert_inert(console, agent, "Message: " + PAYLOADS[0], "Agent: " + PAYLOADS[0])
