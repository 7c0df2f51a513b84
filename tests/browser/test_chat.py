"""Tech Support Chat in Chromium: a member and an agent, each in a browser context."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll


@pytest.fixture
def agent_page(browser, browser_context_args, sign_in):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "agent")
    yield page
    context.close()


def start_chat(page, question):
    page.get_by_label("How can we help?").fill(question)
    page.get_by_role("button", name="Start chat").click()


def test_a_member_and_an_agent_chat_from_queue_to_end(page, agent_page, sign_in, base_url):
    sign_in(page, "diamond")
    with page.context.expect_page() as new_tab:
        page.locator("main").get_by_role("link", name="Tech Support Chat").click()
    member = new_tab.value
    expect(member.get_by_label("What is your name?")).to_have_value("Diana Diamond")
    start_chat(member, "My order page shows error 500 after I pay.")
    expect(member).to_have_url(re.compile(rf"{base_url}/chat/[0-9a-f-]{{36}}/"))
    expect(member.locator("#queue")).to_contain_text(re.compile(r"Your place in the queue: \d+"))
    expect(member.locator("#connection")).to_have_text("Connected")

    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("button", name="Accept: Diana Diamond").first.click()
    card = agent_page.locator("#chats article").filter(has_text="Diana Diamond").last
    expect(card.get_by_role("log")).to_contain_text("My order page shows error 500")
    expect(member.locator("#queue")).to_have_text("You are chatting with Alex.")

    member.get_by_label("Your message").fill("Hello, are you there?")
    member.get_by_label("Your message").press("Enter")
    expect(card.get_by_role("log")).to_contain_text("Hello, are you there?")
    expect(member.locator("#typing")).to_have_text("")
    card.get_by_label("Reply to Diana Diamond").fill("Yes, Alex here. Let me check.")
    card.get_by_role("button", name="Send").click()
    expect(member.get_by_role("log")).to_contain_text("Yes, Alex here. Let me check.")

    member.reload()
    log = member.get_by_role("log")
    expect(log).to_contain_text("Yes, Alex here. Let me check.")
    for text in ("My order page shows error 500", "Hello, are you there?", "Alex here"):
        expect(log.locator(".chat-message", has_text=text)).to_have_count(1)

    card.get_by_role("button", name="End chat").click()
    expect(member.locator("#ended")).to_contain_text("This chat has ended.")
    expect(member.get_by_role("link", name="Start a new chat")).to_be_visible()
    expect(card).to_contain_text("This chat has ended.")


def test_the_member_page_reconnects_by_itself_and_shows_each_message_once(
    page, agent_page, base_url
):
    """The page's own script: a dropped socket comes back after the back-off, says hello
    with the highest seq it has seen, and what the agent sent meanwhile shows once."""
    sockets, hellos = [], []

    def through_the_test(socket):
        server = socket.connect_to_server()

        def from_the_page(message):
            frame = json.loads(message)
            if frame["type"] == "hello":
                hellos.append(frame["after"])
            server.send(message)

        socket.on_message(from_the_page)
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/ws/chat/"), through_the_test)
    page.goto(f"{base_url}/chat/")
    page.get_by_label("What is your name?").fill("Rita")
    page.get_by_label("Email address").fill("rita@example.com")
    start_chat(page, "My invoice page never finishes loading.")
    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("button", name="Accept: Rita").first.click()
    card = agent_page.locator("#chats article").filter(has_text="Rita").last
    card.get_by_label("Reply to Rita").fill("Alex here: before the drop.")
    card.get_by_role("button", name="Send").click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("before the drop")

    sockets[-1].close(code=1012)
    expect(page.locator("#connection")).to_contain_text("Reconnecting in 1 s")
    card.get_by_label("Reply to Rita").fill("Alex here: while you were away.")
    card.get_by_role("button", name="Send").click()
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(log).to_contain_text("while you were away")
    for text in ("never finishes loading", "before the drop", "while you were away"):
        expect(log.locator(".chat-message", has_text=text)).to_have_count(1)
    assert len(sockets) == 2
    assert hellos[0] == 0
    assert hellos[1] >= 3  # the question, "Alex joined", the first reply


@pytest.mark.usefixtures("members_back_in_english")
def test_a_polish_question_is_offered_a_prefilled_ticket(page, sign_in, base_url):
    sign_in(page, "silver")
    page.goto(f"{base_url}/chat/")
    page.get_by_label("Language").select_option("pl")
    page.get_by_role("button", name="Change language").click()
    question = "Nie mogę przetworzyć zamówienia, pojawia się błąd."
    page.get_by_label("Jak możemy pomóc?").fill(question)
    page.get_by_role("button", name="Rozpocznij czat").click()
    main = page.locator("main")
    expect(main).to_contain_text("Nasz czat działa tylko po angielsku")
    # A Polish page says it once, in Polish: no English copy of the same offer below it.
    expect(main).not_to_contain_text("Our chat is in English only")
    link = main.get_by_role("link", name="Zgłoś problem techniczny", exact=True)
    expect(link).to_have_attribute("href", re.compile(r"^/tech-issues/new/\?draft=[\w-]+$"))
    link.click()
    expect(page.locator("#id_description")).to_have_value(question)


def test_a_visitor_signs_in_before_the_ticket(page, base_url):
    page.goto(f"{base_url}/chat/")
    page.get_by_label("What is your name?").fill("Gość")
    page.get_by_label("Email address").fill("gosc@example.com")
    start_chat(page, "Dzień dobry, nie mogę się zalogować do portalu.")
    page.get_by_role("link", name="Sign in to submit a tech issue").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Ftech-issues%2Fnew%2F"))


def test_the_chat_pages_pass_axe_and_fit_a_phone(page, agent_page, base_url):
    page.set_viewport_size({"width": 375, "height": 740})
    found = {}
    page.goto(f"{base_url}/chat/")
    found["start"] = (axe_violations(page), has_horizontal_scroll(page))
    page.get_by_label("What is your name?").fill("Axel")
    page.get_by_label("Email address").fill("axel@example.com")
    start_chat(page, "The checkout button does nothing when I click it.")
    expect(page.locator("#connection")).to_have_text("Connected")
    found["waiting"] = (axe_violations(page), has_horizontal_scroll(page))
    agent_page.set_viewport_size({"width": 375, "height": 740})
    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("button", name="Accept: Axel").click()
    expect(page.locator("#queue")).to_have_text("You are chatting with Alex.")
    found["console"] = (axe_violations(agent_page), has_horizontal_scroll(agent_page))
    found["active"] = (axe_violations(page), has_horizontal_scroll(page))
    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Yes, end the chat").click()
    expect(page.locator("#ended")).to_be_visible()
    found["ended"] = (axe_violations(page), has_horizontal_scroll(page))
    page.goto(f"{base_url}/chat/")
    page.get_by_label("What is your name?").fill("Axel")
    page.get_by_label("Email address").fill("axel@example.com")
    start_chat(page, "Nie mogę się zalogować do portalu od wczoraj.")
    found["not English"] = (axe_violations(page), has_horizontal_scroll(page))
    assert found == {name: ([], False) for name in found}
