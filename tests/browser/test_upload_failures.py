"""A failed upload is shown next to the button, keeps what was typed and says whether
anything was stored; chosen files are checked before they are sent (item 4).

The failures are made with page.route: the proxy's 413 and 502, and a dropped connection.
"""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import (
    WORDS,
    fill_ticket,
    screenshot,
    silver_speaking,
    speak,
    submit_a_file_that_is_no_image,
)

pytestmark = pytest.mark.usefixtures("members_back_in_english")
SHOTS = "/tmp/shots/members-tickets"
SAYS = {
    "en": {
        "nothing": "Sending failed and nothing was stored.",
        "too_large": "What you sent is too large for the server, so nothing was stored.",
        "stored": "The connection failed, but what you sent was stored.",
        "wrong_type": "notes.txt: it is not a PNG, JPEG, GIF or WebP image.",
        "too_big": "huge.png: it is larger than 10.0 MB.",
        "too_many": "Attach at most 10 screenshots.",
    },
    "pl": {
        "nothing": "Nie udało się wysłać i\u00a0nic nie zostało zapisane.",
        "too_large": "Wysłane dane są za duże dla serwera, więc nic nie zostało zapisane.",
        "stored": "Połączenie zostało przerwane, ale to, co wysłano, zostało zapisane.",
        "wrong_type": "notes.txt: nie jest obrazem PNG, JPEG, GIF ani WebP.",
        "too_big": "huge.png: jest większy niż 10,0\u00a0MB.",
        "too_many": "Dołącz najwyżej 10 zrzutów ekranu.",
    },
}


def failing_posts(page, how):
    posts = []

    def handle(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(route.request.url)
        if how == "abort":
            return route.abort("connectionreset")
        if how == "after-commit":  # the portal stores it, the proxy loses the answer
            route.fetch()
            return route.fulfill(status=502, body="Bad Gateway")
        return route.fulfill(status=int(how), body="refused by the proxy")

    page.route("**/tech-issues/**", handle)
    return posts


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize(
    ("how", "says"), [("413", "too_large"), ("502", "nothing"), ("abort", "nothing")]
)
def test_a_failed_ticket_upload_says_so_next_to_the_button(
    page, sign_in, base_url, language, how, says
):
    words, summary = WORDS[language], f"Proxy trouble {uuid.uuid4().hex[:8]}"
    sign_in(page, "silver")
    speak(page, language)
    fill_ticket(page, base_url, words, summary)
    posts = failing_posts(page, how)
    page.get_by_role("button", name=words["submit"]).click()
    error = page.locator("[data-upload-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text(SAYS[language][says])
    expect(error).to_be_focused()
    assert len(posts) == 1  # never posted again on its own
    expect(page.get_by_label(words["summary"])).to_have_value(summary)
    expect(page.get_by_role("button", name=words["submit"])).to_be_enabled()
    assert page.locator("[data-upload-progress]").is_hidden()
    # The box sits right under the button it is about.
    button = page.get_by_role("button", name=words["submit"]).bounding_box()
    box = error.bounding_box()
    assert 0 <= box["y"] - (button["y"] + button["height"]) < 40
    if how == "502":
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=f"{SHOTS}/upload-502-{language}-{width}.png", full_page=True)
            assert not has_horizontal_scroll(page)
        assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_reply_stored_before_the_answer_was_lost_says_it_was_stored(
    page, sign_in, base_url, language
):
    words = silver_speaking(page, sign_in, language)
    fill_ticket(page, base_url, words, f"Reply trouble {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("#messages")).to_contain_text(words["submitted"])
    body = f"Order {uuid.uuid4().hex[:8]}"
    page.get_by_label(words["reply"]).fill(body)
    page.locator("form[data-upload-form] input[type=file]").set_input_files([screenshot()])
    failing_posts(page, "after-commit")
    page.get_by_role("button", name=words["send"]).click()
    error = page.locator("[data-upload-error]")
    expect(error).to_contain_text(SAYS[language]["stored"])
    page.unroute("**/tech-issues/**")
    error.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(body)
    assert page.locator("main").inner_text().count(body) == 1


@pytest.mark.parametrize("language", ["en", "pl"])
def test_chosen_files_are_checked_before_sending_and_a_fixed_choice_clears_the_error(
    page, sign_in, base_url, language
):
    words, says = WORDS[language], SAYS[language]
    sign_in(page, "silver")
    speak(page, language)
    fill_ticket(page, base_url, words, f"Files {uuid.uuid4().hex[:8]}")
    posts = failing_posts(page, "502")
    files = page.get_by_label(words["files"])
    problems = page.locator("[data-file-problems]")
    files.set_input_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"},
            {"name": "huge.png", "mimeType": "image/png", "buffer": b"\0" * (10 * 2**20 + 1)},
        ]
    )
    expect(problems).to_contain_text(says["wrong_type"])
    expect(problems).to_contain_text(says["too_big"])
    expect(files).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name=words["submit"]).click()
    expect(files).to_be_focused()
    assert posts == []
    many = [screenshot(f"{n}.png") for n in range(11)]
    files.set_input_files(many)
    expect(problems).to_have_text(says["too_many"])
    files.set_input_files(many[:2])
    expect(problems).to_be_hidden()
    expect(files).to_have_attribute("aria-invalid", "false")
    assert axe_violations(page) == []


def test_the_servers_error_about_an_earlier_file_goes_once_valid_files_are_chosen(
    page, sign_in, base_url
):
    submit_a_file_that_is_no_image(page, sign_in, base_url)
    field = page.locator("#div_id_screenshots")
    expect(field).to_contain_text("notes.png: it is not a PNG, JPEG, GIF or WebP image.")
    page.get_by_label("Attach files").set_input_files([screenshot()])
    expect(field).not_to_contain_text("notes.png")
    expect(page.get_by_label("Ticket title")).to_have_value("Kept title")
