"""Technical Issues end to end: a member files a ticket with a screenshot, an agent answers
in the admin, the member answers back; in English and in Polish; axe-core on every page.

The portal server is shared by the whole session, so each test names its tickets uniquely.
"""

import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

WORDS = {
    "en": {
        "language": "Language of the ticket",
        "own_name": "English",
        "summary": "Ticket title",
        "description": "Detailed description",
        "files": "Attach files",
        "submit": "Submit Tech Issue",
        "submitted": "is submitted.",
        "awaiting": "Awaiting your reply",
        "open": "Open",
        "reply": "Your reply",
        "send": "Send reply",
        "sent": "Your reply is sent.",
    },
    "pl": {
        "language": "Język zgłoszenia",
        "own_name": "Polski",
        "summary": "Tytuł zgłoszenia",
        "description": "Szczegółowy opis zgłoszenia",
        "files": "Dołącz pliki",
        "submit": "Zgłoś problem techniczny",
        "submitted": "zostało wysłane.",
        "awaiting": "Czeka na Twoją odpowiedź",
        "open": "Otwarte",
        "reply": "Twoja odpowiedź",
        "send": "Wyślij odpowiedź",
        "sent": "Twoja odpowiedź została wysłana.",
    },
}


pytestmark = pytest.mark.usefixtures("members_back_in_english")


def png(width=120, height=80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (220, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def screenshot(name="error.png", width=120, height=80, content=None) -> dict:
    """A file for set_input_files: a PNG of that size, or `content` under the PNG's name."""
    return {"name": name, "mimeType": "image/png", "buffer": content or png(width, height)}


def silver_speaking(page, sign_in, language) -> dict:
    """Sign in as silver with the interface in `language`; answer that language's words."""
    sign_in(page, "silver")
    speak(page, language)
    return WORDS[language]


def fill_ticket(page, base_url, words, summary, files=None):
    """Fill the new-ticket form, with one screenshot unless `files` are given."""
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label(words["summary"]).fill(summary)
    page.get_by_label(words["description"]).fill("Steps: open the cart, press Order.")
    page.get_by_label(words["files"]).set_input_files(list(files or [screenshot()]))


def submit_a_file_that_is_no_image(page, sign_in, base_url):
    """Sign in, title the ticket "Kept title" and attach a file named .png and typed
    image/png, so only the server can tell it is no image; submit."""
    sign_in(page, "silver")
    speak(page, "en")
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label("Ticket title").fill("Kept title")
    page.get_by_label("Attach files").set_input_files(
        [screenshot("notes.png", content=b"not an image")]
    )
    page.get_by_role("button", name="Submit Tech Issue").click()


def speak(page, language):
    """Switch the interface with the language control, as a member would. The choice sticks
    to the member's profile, so the control is found by its id, whatever language it is in."""
    if page.locator("html").get_attribute("lang") != language:
        page.locator("#language-switch").select_option(language)
        page.locator("#language-switch ~ button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def check_page(page, checks, name):
    page.set_viewport_size({"width": 375, "height": 740})
    checks[name] = (axe_violations(page), has_horizontal_scroll(page))
    page.set_viewport_size({"width": 1280, "height": 800})


def submit_ticket(page, base_url, words, summary, checks) -> str:
    page.goto(f"{base_url}/tech-issues/new/")
    check_page(page, checks, "form")
    page.get_by_label(words["language"]).select_option(label=words["own_name"])
    page.get_by_label(words["summary"]).fill(summary)
    page.get_by_label(words["description"]).fill("1. Koszyk 2. Zamów 3. Błąd 500")
    page.get_by_label(words["files"]).set_input_files([screenshot()])
    expect(page.locator(".screenshot-previews")).to_contain_text("error.png")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))
    expect(page.locator("#messages")).to_contain_text(words["submitted"])
    expect(page.locator("h1")).to_have_text(f"{words['own_name']} - {summary}")
    thumbnail = page.locator("main img.screenshot-thumbnail")
    expect(thumbnail).to_be_visible()
    # decode() waits for the image, however slow the server, and rejects a broken one.
    decoded = "img => img.decode().then(() => img.naturalWidth, () => 0)"
    assert thumbnail.evaluate(decoded) > 0
    check_page(page, checks, "ticket")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def agent_replies(page, base_url, sign_in, reference, answer):
    page.context.clear_cookies()
    sign_in(page, "agent")
    page.goto(f"{base_url}/admin/tickets/ticket/?q={reference}")
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".ticket-thread")).to_contain_text("Błąd 500")
    page.get_by_role("textbox", name="Message").fill(answer)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Saved.")


@pytest.mark.parametrize("language", ["en", "pl"])
def test_silver_files_a_ticket_the_agent_answers_and_silver_replies(
    page, sign_in, base_url, language
):
    words, checks = WORDS[language], {}
    summary = f"Cannot process order {uuid.uuid4().hex[:8]}"
    sign_in(page, "silver")
    speak(page, language)
    reference = submit_ticket(page, base_url, words, summary, checks)

    page.goto(f"{base_url}/tech-issues/")
    expect(page.get_by_role("link", name=f"{words['own_name']} - {summary}")).to_be_visible()

    agent_replies(page, base_url, sign_in, reference, f"Which order number? {reference}")

    page.context.clear_cookies()
    sign_in(page, "silver")
    speak(page, language)
    page.goto(f"{base_url}/tech-issues/")
    row = page.locator("li", has=page.get_by_role("link", name=f"{words['own_name']} - {summary}"))
    expect(row.locator(".status-badge")).to_have_text(words["awaiting"])
    check_page(page, checks, "list")
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(f"Which order number? {reference}")
    page.get_by_label(words["reply"]).fill("Zamówienie 1234")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("#messages")).to_contain_text(words["sent"])
    expect(page.locator("main .status-badge").first).to_have_text(words["open"])
    expect(page.locator("main")).to_contain_text("Zamówienie 1234")
    assert checks == {name: ([], False) for name in ("form", "ticket", "list")}


def test_a_rejected_form_keeps_what_was_typed(page, sign_in, base_url):
    submit_a_file_that_is_no_image(page, sign_in, base_url)
    main = page.locator("main")
    expect(main).to_contain_text("notes.png: it is not a PNG, JPEG, GIF or WebP image.")
    expect(main).to_contain_text("please choose them again")
    refusal = page.locator("#div_id_screenshots .invalid-feedback")  # below the dressed control
    expect(refusal).to_be_visible()
    expect(page.get_by_label("Ticket title")).to_have_value("Kept title")
    page.screenshot(path=f"{SHOTS}/file-refused-en-1280.png", full_page=True)
    assert axe_violations(page) == []


SIGNED_OUT = {
    "en": "You were signed out before this form was sent",
    "pl": "Wylogowano Cię, zanim formularz został wysłany",
}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_form_sent_after_signing_out_elsewhere_comes_back_filled_after_sign_in(
    page, sign_in, base_url, language
):
    words = silver_speaking(page, sign_in, language)
    page.goto(f"{base_url}/tech-issues/new/")
    summary = f"Polski - Koszyk się nie zapisuje {uuid.uuid4().hex[:6]}"
    page.get_by_label(words["summary"]).fill(summary)
    steps = "Kroki: koszyk, zapisz, błąd 500."
    page.get_by_label(words["description"]).fill(steps)
    other_tab = page.context.new_page()
    other_tab.goto(f"{base_url}/")
    other_tab.locator("form[action$='/accounts/logout/'] button").click()
    other_tab.close()
    page.get_by_role("button", name=words["submit"]).click()

    expect(page.locator("main .alert-info")).to_contain_text(SIGNED_OUT[language])
    expect(page.locator("form[action$='/accounts/logout/']")).to_have_count(0)  # the header too
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/signed-out-post-{language}-{width}.png", full_page=True)
    assert axe_violations(page) == []
    page.locator("#id_username").fill("silver")
    page.locator("#id_password").fill("portal-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/tech-issues/new/\?draft=.*"))
    expect(page.get_by_label(words["summary"])).to_have_value(summary)
    expect(page.get_by_label(words["description"])).to_have_value(
        "Kroki: koszyk, zapisz, błąd 500."
    )
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("#messages")).to_contain_text(words["submitted"])


SHOTS = "/tmp/shots/members-tickets"
FILE_CONTROL = {
    "en": ("Choose files", "No file chosen"),
    "pl": ("Wybierz pliki", "Nie wybrano pliku"),
}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_file_control_speaks_the_pages_language(page, sign_in, base_url, language):
    """Not the browser's "Choose Files": the page's words, over the real input, which keeps
    its label, the keyboard and the file chooser."""
    words, (choose, none) = WORDS[language], FILE_CONTROL[language]
    sign_in(page, "silver")
    speak(page, language)
    page.goto(f"{base_url}/tech-issues/new/")
    face = page.locator("#div_id_screenshots .file-face")
    expect(face).to_have_text(f"{choose}{none}")
    page.get_by_label(words["description"]).focus()
    page.keyboard.press("Tab")
    files = page.get_by_label(words["files"])
    expect(files).to_be_focused()
    page.set_viewport_size({"width": 375, "height": 740})
    found = {"focused": (axe_violations(page), has_horizontal_scroll(page))}
    page.screenshot(path=f"{SHOTS}/file-control-{language}-375.png", full_page=True)
    with page.expect_file_chooser() as chooser:
        page.locator("#div_id_screenshots .file-picker").click()
    chooser.value.set_files([screenshot("first.png"), screenshot("second.png")])
    expect(face).to_have_text(f"{choose}first.png, second.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=f"{SHOTS}/file-control-{language}-1280.png", full_page=True)
    assert found == {"focused": ([], False)}
