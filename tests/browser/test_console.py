"""The agents' console in Chromium: who the member is, a canned reply from the keyboard,
a transfer between two agents, Away, converting after the end without a reload and
dismissing the card; in English and in Polish, at 1280 px."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import speak
from tests.servers import shell

SHOTS = "/tmp/shots/agents-console"

pytestmark = pytest.mark.usefixtures("members_back_in_english", "agents_free")


@pytest.fixture
def agents_free(portal):
    """The demo agents hold no chat and are available (the portal serves the whole session,
    and other journeys leave chats open): Accept is open to them."""
    shell(
        portal.env,
        "from django.utils import timezone; from livechat.models import AgentPresence, Chat; "
        "Chat.objects.filter(state='active').update(state='ended', ended_at=timezone.now()); "
        "AgentPresence.objects.update(away=False, alerts=False)",
    )


@pytest.fixture
def context_of(browser, browser_context_args, sign_in):
    """A browser context of its own for each person, signed in (None: a visitor)."""
    contexts = []

    def make(username=None, language="en"):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        if username:
            sign_in(page, username)
            speak(page, language)
        return page

    yield make
    for context in contexts:
        context.close()


def start_chat(page, base_url, question, name=None):
    page.goto(f"{base_url}/chat/")
    if name:
        page.locator("#id_name").fill(name)
        page.locator("#id_email").fill("visitor@example.com")
    page.locator("#id_question").fill(question)
    page.locator("main form button[type=submit]:not([name=action])").click()
    expect(page).to_have_url(re.compile(rf"{base_url}/chat/[0-9a-f-]{{36}}/"))


def accept(console, base_url, question):
    """Accept the chat whose question this is (names repeat across journeys; questions are
    made unique); answer its card."""
    console.goto(f"{base_url}/chat/console/")
    console.locator("#queue li", has_text=question).locator("button").click()
    card = console.locator("#chats article").filter(has_text=question)
    expect(card.locator("textarea")).to_be_visible()
    return card


WORDS = {
    "en": {"rank": "Silver", "visitor": "Visitor (not signed in)", "took": "took over the chat"},
    "pl": {"rank": "Silver", "visitor": "Gość (niezalogowany)", "took": "przejmuje czat"},
}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_an_agent_sees_who_it_is_and_inserts_a_canned_reply_with_the_keyboard(
    context_of, base_url, language
):
    member = context_of("silver", language)
    question = f"My order page shows error 500 {uuid.uuid4().hex[:6]}"
    start_chat(member, base_url, question)
    console = context_of("agent", language)
    card = accept(console, base_url, question)
    expect(card.locator('[data-field="badge"]')).to_have_text(WORDS[language]["rank"])
    expect(card.locator('[data-field="who"]')).to_contain_text("1000007")
    expect(card.locator('[data-field="tickets"] a').first).to_have_attribute(
        "href", re.compile(r"^/admin/tickets/ticket/\d+/change/$")
    )
    box = card.locator("textarea")
    expect(box).to_be_focused()  # after Accept, the reply box
    box.press_sequentially("/tick")
    listbox = card.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    assert axe_violations(console) == []
    console.screenshot(path=f"{SHOTS}/console-picker-{language}.png")
    box.press("Enter")  # inserts; does not send
    expect(listbox).to_be_hidden()
    value = box.input_value()
    assert value.startswith("Sylwia, ")
    assert f"/tech-issues/new/?language={language}&description=" in value
    assert ("możesz pisać po polsku" in value) == (language == "pl")
    assert "English only" not in value
    assert "angielsku" not in value
    box.press("End")
    box.press_sequentially(" Thanks!")
    box.press("Enter")  # now it sends
    log = member.get_by_role("log")
    expect(log).to_contain_text("Thanks!")
    expect(log).to_contain_text("/tech-issues/new/")
    expect(box).to_have_value("")
    console.screenshot(path=f"{SHOTS}/console-sent-{language}.png")
    console.set_viewport_size({"width": 375, "height": 740})
    assert (axe_violations(console), has_horizontal_scroll(console)) == ([], False)
    console.screenshot(path=f"{SHOTS}/console-375-{language}.png")
    console.set_viewport_size({"width": 1280, "height": 900})
    card.locator('[data-field="end"]').click()
    expect(card.locator('[data-field="dismiss"]')).to_be_visible()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_chat_is_transferred_to_another_agent_who_takes_it(context_of, base_url, language):
    name = f"Vic {uuid.uuid4().hex[:4]}"
    member = context_of()
    question = f"The app logs me out every minute ({name})."
    start_chat(member, base_url, question, name=name)
    alex = context_of("agent", language)
    card = accept(alex, base_url, question)
    expect(card.locator('[data-field="badge"]')).to_have_text(WORDS[language]["visitor"])
    admin = context_of("admin", language)
    admin.goto(f"{base_url}/chat/console/")
    expect(admin.locator("#connection")).to_have_class(re.compile("text-bg-success"))

    select = card.locator('[data-field="transfer-to"]')
    expect(select.locator("option", has_text="admin")).to_have_count(1)
    select.select_option(label="admin")
    card.locator('[data-field="transfer"] button').click()
    expect(card.locator('[data-field="transfer-state"]')).to_contain_text("admin")
    offer = admin.locator("#offers li", has_text=name)
    expect(offer).to_be_visible()
    admin.screenshot(path=f"{SHOTS}/console-offer-{language}.png")
    offer.locator("button").first.click()  # Take

    taken = admin.locator("#chats article").filter(has_text=name).last
    expect(taken.get_by_role("log")).to_contain_text("The app logs me out")
    expect(member.get_by_role("log")).to_contain_text("admin took over the chat.")
    expect(member.locator("#queue")).to_contain_text("admin")
    expect(card.locator('[data-field="state"]')).to_contain_text("admin")
    expect(card.locator("textarea")).to_be_hidden()
    expect(card.locator('[data-field="transfer"]')).to_be_hidden()
    expect(card.locator('[data-field="convert"]')).to_be_hidden()  # not Alex's chat any more
    alex.screenshot(path=f"{SHOTS}/console-transferred-{language}.png")
    taken.locator("textarea").fill("admin here, I will help.")
    taken.locator("textarea").press("Enter")
    expect(member.get_by_role("log")).to_contain_text("admin here, I will help.")

    card.locator('[data-field="dismiss"]').click()
    expect(alex.locator("#chats article").filter(has_text=name)).to_have_count(0)
    alex.reload()  # dismissed for good
    expect(alex.locator("#connection")).to_have_class(re.compile("text-bg-success"))
    expect(alex.locator("#chats article").filter(has_text=name)).to_have_count(0)

    # Away: admin is no longer offered chats, and says so on Accept.
    admin.locator("#away").click()
    expect(admin.locator("#away")).to_have_attribute("aria-pressed", "true")
    expect(alex.locator("#alerts-status")).to_be_visible()
    taken.locator('[data-field="end"]').click()
    admin.locator("#available").click()
    expect(admin.locator("#available")).to_have_attribute("aria-pressed", "true")


def connected(console):
    expect(console.locator("#connection")).to_have_class(re.compile("text-bg-success"))


def test_away_closes_accept_with_a_reason_and_is_remembered(context_of, base_url):
    name = f"Wanda {uuid.uuid4().hex[:4]}"
    member = context_of()
    start_chat(member, base_url, "Where is my invoice for November?", name=name)
    console = context_of("agent")
    console.goto(f"{base_url}/chat/console/")
    connected(console)
    row = console.locator("#queue li", has_text=name)
    expect(row.locator("button")).to_be_enabled()
    console.locator("#away").click()
    expect(row.locator("button")).to_be_disabled()
    expect(console.locator("#accept-reason")).to_contain_text("You are away")
    expect(member.locator("#queue")).to_contain_text("No agent is online")
    console.reload()
    connected(console)
    expect(console.locator("#away")).to_have_attribute("aria-pressed", "true")
    expect(console.locator("#queue li", has_text=name).locator("button")).to_be_disabled()
    console.locator("#alerts").click()
    expect(console.locator("#alerts")).to_have_attribute("aria-pressed", "true")
    console.reload()
    connected(console)
    expect(console.locator("#alerts")).to_have_attribute("aria-pressed", "true")
    console.locator("#alerts").click()
    expect(console.locator("#alerts")).to_have_attribute("aria-pressed", "false")
    console.locator("#available").click()
    expect(console.locator("#queue li", has_text=name).locator("button")).to_be_enabled()


def test_a_chat_becomes_a_ticket_after_it_ended_without_a_reload(context_of, base_url):
    member = context_of("diamond")
    question = f"Invoice PDF is empty {uuid.uuid4().hex[:6]}"
    start_chat(member, base_url, question)
    console = context_of("agent")
    card = accept(console, base_url, question)
    console.evaluate("window.stillHere = true")
    card.locator('[data-field="end"]').click()
    convert = card.locator('[data-field="convert"] button')
    expect(convert).to_be_visible()
    convert.click()
    expect(card.locator('[data-field="converted"]')).to_contain_text(re.compile(r"TI-\d+"))
    expect(card.locator('[data-field="converted"] a')).to_have_attribute(
        "href", re.compile(r"^/admin/tickets/ticket/\d+/change/$")
    )
    expect(convert).to_be_hidden()
    later = f"Printer queue stuck {uuid.uuid4().hex[:6]}"
    start_chat(context_of(), base_url, later, name="Lena")
    console.locator("#queue li", has_text=later).locator("button").click()
    expect(console.locator("#chats article").first).to_contain_text(later)  # above the ended
    assert console.evaluate("window.stillHere") is True
    console.set_viewport_size({"width": 375, "height": 740})
    assert (axe_violations(console), has_horizontal_scroll(console)) == ([], False)
    console.screenshot(path=f"{SHOTS}/console-converted-375.png", full_page=True)


def test_at_capacity_accept_is_closed_with_the_reason(portal, context_of, base_url):
    name = f"Carl {uuid.uuid4().hex[:4]}"
    member = context_of()
    start_chat(member, base_url, f"Cannot download my report ({name})", name=name)
    shell(  # the demo agent takes three other chats, as from another tab
        portal.env,
        "from django.contrib.auth.models import User; from django.utils import timezone; "
        "from livechat.services import chat_accept, chat_open; "
        "agent = User.objects.get(username='agent'); now = timezone.now(); "
        "[chat_accept(chat_id=chat_open(name=f'Held {n}', email='h@example.com', member_id='', "
        "question='held', session_key=f'held-{n}', now=now).chat.pk, agent=agent, now=now) "
        "for n in range(3)]",
    )
    console = context_of("agent")
    console.goto(f"{base_url}/chat/console/")
    connected(console)
    expect(console.locator("#holding")).to_have_text("Your chats: 3 of 3")
    row = console.locator("#queue li", has_text=name)
    expect(row.locator("button")).to_be_disabled()
    expect(row.locator("button")).to_have_attribute("aria-describedby", "accept-reason")
    expect(console.locator("#accept-reason")).to_have_text(
        "You hold 3 of 3 chats: end one to accept another."
    )
    console.locator("#chats article").filter(has_text="Held 0").locator(
        '[data-field="end"]'
    ).click()
    expect(console.locator("#holding")).to_have_text("Your chats: 2 of 3")
    expect(row.locator("button")).to_be_enabled()
    expect(console.locator("#accept-reason")).to_have_text("")


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_queue_follows_chats_joining_and_leaving_while_the_console_is_open(
    context_of, base_url, language
):
    """The console keeps its queue from deltas (`queue_change`): a chat asked after it
    opened appears, oldest first, and leaves when another agent accepts it; a reload shows
    the same queue."""
    first, second = (f"Queue {uuid.uuid4().hex[:6]}" for _ in range(2))
    console = context_of("agent", language)
    console.goto(f"{base_url}/chat/console/")
    connected(console)
    start_chat(context_of(), base_url, f"{first} cannot print", name=first)
    start_chat(context_of(), base_url, f"{second} cannot print", name=second)
    rows = console.locator("#queue li").filter(has_text=re.compile(f"{first}|{second}"))
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(first)
    accept(context_of("admin"), base_url, f"{first} cannot print")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(second)
    console.screenshot(path=f"{SHOTS}/console-queue-after-deltas-{language}.png")
    console.set_viewport_size({"width": 375, "height": 740})
    assert (axe_violations(console), has_horizontal_scroll(console)) == ([], False)
    console.screenshot(
        path=f"{SHOTS}/console-queue-after-deltas-{language}-375.png", full_page=True
    )
    # This test's chats only: a chat left waiting by an earlier test, its page closed, is
    # abandoned by the sweep after LIVECHAT_ABANDON_AFTER, and may leave during the reload.
    names = rows.locator("strong")
    shown = names.all_inner_texts()
    console.reload()
    connected(console)
    expect(names).to_have_count(len(shown))
    assert names.all_inner_texts() == shown
