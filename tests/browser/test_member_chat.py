"""The member's side of Tech Support Chat in Chromium, in English and Polish, at desktop and
phone width: coming back to a chat, past chats, opening hours, the conversation's feel."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

SHOTS = Path("/tmp/shots/members-chat")
WIDTHS = {"desktop": 1280, "phone": 375}

WORDS = {
    "en": {
        "name": "What is your name?",
        "email": "Email address",
        "question": "How can we help?",
        "start": "Start chat",
        "add": "Add to your chat",
        "return": "Return to your chat",
        "queue": "Your place in the queue",
    },
    "pl": {
        "name": "Jak masz na imię?",
        "email": "Adres e-mail",
        "question": "Jak możemy pomóc?",
        "start": "Rozpocznij czat",
        "add": "Dodaj do swojego czatu",
        "return": "Wróć do swojego czatu",
        "queue": "Twoje miejsce w\u00a0kolejce",
    },
}


def speak(page, base_url, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])


def look(page, name):
    """Check the page as a person and a screen reader would meet it; keep a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return axe_violations(page), has_horizontal_scroll(page)


def fill_pre_chat(page, words, name, question, button="start"):
    page.get_by_label(words["name"]).fill(name)
    page.get_by_label(words["email"]).fill(f"{name.lower()}@example.com")
    page.get_by_label(words["question"]).fill(question)
    page.get_by_role("button", name=words[button]).click()


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_closed_tab_leads_back_to_the_same_chat(page, base_url, language, width):
    words = WORDS[language]
    speak(page, base_url, language)
    page.set_viewport_size({"width": WIDTHS[width], "height": 800})
    name = f"Tab{language}{width}"
    page.goto(f"{base_url}/chat/")
    fill_pre_chat(page, words, name, "The download page stays empty after I pay.")
    expect(page.locator("#queue")).to_contain_text(words["queue"])
    chat_url = page.url
    tab = page.context.new_page()
    page.close()  # the member closes the chat's tab ...
    tab.set_viewport_size({"width": WIDTHS[width], "height": 800})
    tab.goto(f"{base_url}/chat/")  # ... and opens Tech Support Chat again
    back = tab.get_by_role("link", name=words["return"])
    expect(back).to_be_visible()
    found = look(tab, f"return-{language}-{width}")
    fill_pre_chat(tab, words, name, "The download page stays empty after I pay.", "add")
    expect(tab).to_have_url(chat_url)
    tab.goto(f"{base_url}/chat/")
    back.click()
    expect(tab).to_have_url(chat_url)
    log = tab.get_by_role("log")
    expect(log.locator(".chat-message", has_text="download page stays empty")).to_have_count(1)
    expect(tab.locator("#queue")).to_contain_text(re.compile(words["queue"] + r": \d+"))
    assert found == ([], False)


# A clearly non-English question: each kind of person gets one message and a way on.
OFFERS = {
    "visitor": ("Sign in to submit a tech issue", "Zaloguj się, aby zgłosić problem"),
    "premier": ("Write my question in English", "Napiszę pytanie po angielsku"),
    "silver": ("Submit a tech issue", "Zgłoś problem techniczny"),
}


@pytest.mark.usefixtures("members_back_in_english")
@pytest.mark.parametrize("who", list(OFFERS))
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_non_english_offer_has_one_way_forward(page, base_url, sign_in, who, width):
    if who != "visitor":
        sign_in(page, who)
    speak(page, base_url, "pl")
    page.set_viewport_size({"width": WIDTHS[width], "height": 800})
    question = "Не могу войти в портал, страница заказа показывает ошибку. " * 60
    page.goto(f"{base_url}/chat/")
    fill_pre_chat(page, WORDS["pl"], "Wiktor", question)
    english, polish = OFFERS[who]
    main = page.locator("main")
    # A Polish page makes the offer in Polish only: one way forward, not the same one twice.
    expect(main.get_by_role("link", name=polish)).to_be_visible()
    expect(main.get_by_role("link", name=english, exact=True)).to_have_count(0)
    found = look(page, f"offer-{who}-{width}")
    main.get_by_role("link", name=polish).click()
    if who == "visitor":
        page.get_by_label("Nazwa użytkownika").fill("silver")
        page.get_by_label("Hasło").fill("portal-demo")
        page.locator("main").get_by_role("button", name="Zaloguj się").click()
    if who == "premier":
        expect(page.get_by_label(WORDS["pl"]["question"])).to_have_value(question.strip())
    else:
        expect(page.locator("#id_description")).to_have_value(question.strip())
    assert found == ([], False)


@pytest.fixture
def agent_page(browser, browser_context_args, sign_in):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "agent")
    yield page
    context.close()


PAST = {
    "en": ("Your past chats", "with Alex", "Alex joined the chat.", "Chat transcript"),
    "pl": ("Twoje poprzednie czaty", "z: Alex", "Alex dołącza do czatu.", "Zapis czatu"),
}


@pytest.mark.usefixtures("members_back_in_english")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_reads_a_past_chat_from_the_pre_chat_page(
    page, agent_page, base_url, sign_in, language
):
    sign_in(page, "diamond")
    speak(page, base_url, language)
    words = WORDS[language]
    question = f"The invoice download fails ({language})."
    page.goto(f"{base_url}/chat/")
    page.get_by_label(words["question"]).fill(question)
    page.get_by_role("button", name=words["start"]).click()
    expect(page.locator("#connection")).to_have_class(re.compile("text-bg-success"))
    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("button", name="Accept: Diana Diamond").first.click()
    card = agent_page.locator("#chats article").filter(has_text=question).last
    card.get_by_label("Reply to Diana Diamond").fill("Fixed: try again now.")
    card.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Fixed: try again now.")
    card.get_by_role("button", name="End chat").click()
    expect(page.locator("#ended")).to_be_visible()
    title, with_agent, joined, heading = PAST[language]
    page.goto(f"{base_url}/chat/")
    page.get_by_role("link", name=title).click()
    item = page.get_by_role("listitem").filter(has_text=question)
    expect(item).to_contain_text(with_agent)
    found = {}
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        found[f"history {width}"] = look(page, f"history-{language}-{width}")
    item.get_by_role("link", name=question).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("list", name=re.compile("."))).to_contain_text(joined)
    expect(page.locator(".chat-message", has_text="Fixed: try again now.")).to_have_count(1)
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        found[f"transcript {width}"] = look(page, f"transcript-{language}-{width}")
    assert found == {name: ([], False) for name in found}


HOURS = {
    "en": {
        "nobody": "No agent is available right now",
        "ready": "Agents are available now",
        "closed": "Tech Support Chat is closed now",
        "instead": "Leave a message instead",
        "leave": "Leave a message",
        "thanks": "Thank you: your message is with Tech Support",
    },
    "pl": {
        "nobody": "W\u00a0tej chwili żaden konsultant nie jest dostępny",
        "ready": "Konsultanci są teraz dostępni",
        "closed": "Czat z\u00a0zespołem pomocy technicznej jest teraz nieczynny",
        "instead": "Zamiast tego zostaw wiadomość",
        "leave": "Zostaw wiadomość",
        "thanks": "Dziękujemy: Twoja wiadomość trafiła do zespołu pomocy technicznej",
    },
}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_with_nobody_online_a_message_is_left_and_answered_by_email(
    page, agent_page, base_url, language
):
    words, hours = WORDS[language], HOURS[language]
    speak(page, base_url, language)
    page.goto(f"{base_url}/chat/")
    expect(page.locator("#availability")).to_contain_text(hours["nobody"])
    found = {}
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        found[f"nobody {width}"] = look(page, f"nobody-{language}-{width}")
    name = f"Offline{language}"
    page.get_by_label(words["name"]).fill(name)
    page.get_by_label(words["email"]).fill(f"{name.lower()}@example.com")
    page.get_by_label(words["question"]).fill("My invoices page shows an empty list.")
    page.get_by_role("button", name=hours["instead"]).click()
    expect(page.get_by_role("heading", name=hours["thanks"])).to_be_visible()
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 800})
        found[f"left {width}"] = look(page, f"left-{language}-{width}")

    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("link", name=re.compile("Offline messages")).click()
    message = agent_page.get_by_role("article").filter(has_text=name)
    found["inbox"] = look(agent_page, f"inbox-{language}")
    message.get_by_label(f"Your answer to {name} by e-mail").fill("Clear the filter at the top.")
    message.get_by_role("button", name="Send the answer").click()
    expect(agent_page.get_by_role("status")).to_contain_text(f"Your answer to {name}")
    expect(agent_page.get_by_role("article").filter(has_text=name)).to_have_count(0)
    page.reload()
    expect(page.locator("main")).to_contain_text(f"{name.lower()}@example.com")
    assert found == {key: ([], False) for key in found}


def test_agents_online_are_announced_before_typing(page, agent_page, base_url):
    agent_page.goto(f"{base_url}/chat/console/")
    expect(agent_page.locator("#connection")).to_have_class(re.compile("text-bg-success"))
    # The console counts its agent online just after its socket opens: a person who
    # looks a moment later sees it.
    for _ in range(20):
        page.goto(f"{base_url}/chat/")
        if HOURS["en"]["ready"] in page.locator("#availability").inner_text():
            break
        page.wait_for_timeout(250)
    expect(page.locator("#availability")).to_contain_text(HOURS["en"]["ready"])
    expect(page.get_by_role("button", name="Start chat")).to_be_visible()
    expect(page.get_by_role("button", name=HOURS["en"]["instead"])).to_have_count(0)


@pytest.fixture
def admin_page(browser, browser_context_args, sign_in):
    context = browser.new_context(**browser_context_args)
    admin = context.new_page()
    sign_in(admin, "admin")
    yield admin
    context.close()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_outside_support_hours_the_form_leaves_a_message(page, admin_page, base_url, language):
    """An administrator limits support to a day that is not today, in the admin."""
    admin_page.goto(f"{base_url}/admin/hours/supporthours/add/")
    admin_page.get_by_label("Limit support to these hours").check()
    admin_page.locator("#id_time_zone").select_option("Europe/Warsaw")
    weekday = str((datetime.now(UTC).weekday() + 3) % 7)
    admin_page.locator("#id_windows-0-weekday").select_option(weekday)
    admin_page.locator("#id_windows-0-opens").fill("09:00")
    admin_page.locator("#id_windows-0-closes").fill("17:00")
    admin_page.get_by_role("button", name="Save", exact=True).click()
    expect(admin_page.locator(".messagelist")).to_contain_text("was added successfully")
    try:
        hours = HOURS[language]
        speak(page, base_url, language)
        page.goto(f"{base_url}/chat/")
        expect(page.locator("#availability")).to_contain_text(hours["closed"])
        expect(page.get_by_role("button", name=hours["leave"], exact=True)).to_be_visible()
        expect(page.get_by_role("button", name=WORDS[language]["start"])).to_have_count(0)
        page.locator("#availability summary").click()
        expect(page.locator("#availability li")).to_have_count(1)
        found = {}
        for width in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": 800})
            found[width] = look(page, f"closed-{language}-{width}")
        assert found == {width: ([], False) for width in WIDTHS.values()}
    finally:
        admin_page.goto(f"{base_url}/admin/hours/supporthours/")
        change = admin_page.locator("#result_list tbody a").first.get_attribute("href")
        admin_page.goto(base_url + change.replace("/change/", "/delete/"))
        admin_page.locator("input[type=submit]").click()
        expect(admin_page.locator(".messagelist")).to_contain_text("deleted successfully")


def background(page, hidden: bool):
    """Put the tab in the background (or back): what the page hears when the member
    switches to another tab."""
    page.evaluate(
        """(hidden) => {
            Object.defineProperty(document, "hidden", {value: hidden, configurable: true});
            Object.defineProperty(document, "visibilityState",
                {value: hidden ? "hidden" : "visible", configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        hidden,
    )


FEEL = {
    "en": ("End chat", "Yes, end the chat", "Start a new chat", "This chat is now ticket"),
    "pl": ("Zakończ czat", "Tak, zakończ czat", "Rozpocznij nowy czat", "Ten czat jest teraz"),
}


@pytest.mark.usefixtures("members_back_in_english")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_chat_page_feels_like_a_conversation(page, agent_page, base_url, sign_in, language):
    sign_in(page, "silver")
    speak(page, base_url, language)
    end, yes, new_chat, became = FEEL[language]
    question = f"The order page freezes ({language})."
    page.goto(f"{base_url}/chat/")
    page.get_by_label(WORDS[language]["question"]).fill(question)
    page.get_by_role("button", name=WORDS[language]["start"]).click()
    expect(page.get_by_role("textbox")).to_be_focused()  # ready to write on arrival
    agent_page.goto(f"{base_url}/chat/console/")
    agent_page.get_by_role("button", name="Accept: Sylwia Srebrna").first.click()
    card = agent_page.locator("#chats article").filter(has_text=question).last
    reply = card.get_by_label("Reply to Sylwia Srebrna")
    log = page.get_by_role("log")
    expect(log.locator(".chat-system")).to_have_count(1)

    background(page, True)
    guide = "https://help.example.com/browsers-we-support-on-phones-and-computers"
    for text in ("Hello, Alex here.", f"Which browser do you use? {guide}."):
        reply.fill(text)
        card.get_by_role("button", name="Send").click()
        expect(log).to_contain_text(text)
    link = log.get_by_role("link", name=guide)  # opens beside the chat, without its opener
    expect(link).to_have_attribute("href", guide)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(page).to_have_title(re.compile(r"^\(2\) "))
    assert page.locator("#favicon").get_attribute("href").endswith("favicon-unread.svg")
    background(page, False)
    expect(page).not_to_have_title(re.compile(r"^\("))
    assert page.locator("#favicon").get_attribute("href").endswith("/favicon.svg")

    page.get_by_role("textbox").fill("Firefox, on Windows.")
    page.get_by_role("textbox").press("Enter")
    mine = log.locator(".chat-mine", has_text="Firefox")
    theirs = log.locator(".chat-agent", has_text="Which browser")
    expect(mine).to_be_visible()
    assert mine.bounding_box()["x"] > theirs.bounding_box()["x"]  # own on the right
    found = {}
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 800})
        found[name] = look(page, f"conversation-{language}-{name}")

    page.get_by_role("button", name=end).click()
    expect(page.get_by_role("button", name=yes)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=end)).to_be_focused()
    expect(page.get_by_role("button", name=yes)).to_be_hidden()

    card.get_by_role("button", name="Convert to ticket").click()
    line = log.locator(".chat-system", has_text=became)
    link = line.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(r"^/tech-issues/TI-\d+/$"))
    expect(page.get_by_role("link", name=new_chat)).to_be_focused()
    found["ended"] = look(page, f"ended-{language}")
    link.click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d+/$"))
    assert found == {key: ([], False) for key in found}


def test_every_page_has_a_favicon(page, base_url):
    for path in ("/", "/accounts/login/", "/chat/"):
        page.goto(f"{base_url}{path}")
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert page.request.get(f"{base_url}{icon}").status == 200
