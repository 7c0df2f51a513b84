"""Member control over tickets in Chromium (item 15): the screenshot viewer, solved and
closed from the ticket page, and My Technical Issues' search and status filter."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import WORDS, fill_ticket, screenshot, speak

pytestmark = pytest.mark.usefixtures("members_back_in_english")
SHOTS = "/tmp/shots/members-tickets"
SAYS = {
    "en": {
        "solved": "Mark as solved",
        "close": "Close the ticket",
        "closed": "This ticket is closed",
        "viewer_close": "Close",
        "next": "Next",
        "search": "Search titles and messages",
        "status": "Status",
        "filter": "Filter",
        "resolved": "Resolved",
        "of": "2 of 2",
    },
    "pl": {
        "solved": "Oznacz jako rozwiązane",
        "close": "Zamknij zgłoszenie",
        "closed": "To zgłoszenie jest zamknięte",
        "viewer_close": "Zamknij",
        "next": "Następny",
        "search": "Szukaj w\u00a0tytułach i\u00a0wiadomościach",
        "status": "Status",
        "filter": "Filtruj",
        "resolved": "Rozwiązane",
        "of": "2 z\u00a02",
    },
}


def file_with_two_screenshots(page, base_url, words, summary):
    shots = (screenshot("first.png", 1600, 900), screenshot("second.png", 300, 600))
    fill_ticket(page, base_url, words, summary, shots)
    page.get_by_role("button", name=words["submit"]).click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_views_screenshots_then_marks_solved_and_closes(page, sign_in, base_url, language):
    words, says = WORDS[language], SAYS[language]
    summary = f"Viewer {uuid.uuid4().hex[:8]}"
    sign_in(page, "silver")
    speak(page, language)
    file_with_two_screenshots(page, base_url, words, summary)

    first = page.locator("a[data-viewer-image]").first
    first.focus()
    page.keyboard.press("Enter")
    viewer = page.locator("#screenshot-viewer")
    expect(viewer).to_be_visible()
    expect(viewer).to_contain_text("first.png")
    assert page.url.endswith("/")  # no new tab, no navigation
    page.keyboard.press("ArrowRight")
    expect(viewer).to_contain_text("second.png")
    expect(viewer).to_contain_text(says["of"])
    # The focus stays inside while tabbing around.
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    decoded = "img => img.decode().then(() => img.naturalWidth, () => 0)"
    assert viewer.locator("img").evaluate(decoded) == 300
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/viewer-{language}-{width}.png")
        box = viewer.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(first).to_be_focused()

    page.get_by_role("button", name=says["solved"]).click()
    expect(page.locator("main .status-badge").first).to_have_text(says["resolved"])
    expect(page.get_by_role("button", name=says["solved"])).to_have_count(0)
    page.get_by_role("button", name=says["close"]).click()
    expect(page.locator("main")).to_contain_text(says["closed"])
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/closed-{language}-{width}.png", full_page=True)
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_finds_a_ticket_by_its_words_and_status(page, sign_in, base_url, language):
    words, says = WORDS[language], SAYS[language]
    marker = uuid.uuid4().hex[:8]
    sign_in(page, "silver")
    speak(page, language)
    page.goto(f"{base_url}/tech-issues/new/")
    page.get_by_label(words["summary"]).fill("Printer offline")
    page.get_by_label(words["description"]).fill(f"The label printer {marker} is offline")
    page.get_by_role("button", name=words["submit"]).click()
    expect(page).to_have_url(re.compile(r"/tech-issues/TI-\d{6}/$"))
    page.goto(f"{base_url}/tech-issues/")
    page.get_by_label(says["search"]).fill(marker)
    page.get_by_role("button", name=says["filter"]).click()
    expect(page).to_have_url(re.compile(rf"\?q={marker}"))
    expect(page.locator("main .list-group-item")).to_have_count(1)
    expect(page.locator("main .list-group-item")).to_contain_text("Printer offline")
    page.get_by_label(says["status"], exact=True).select_option("closed")
    page.get_by_role("button", name=says["filter"]).click()
    expect(page.locator("main .list-group-item")).to_have_count(0)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=f"{SHOTS}/list-filtered-{language}-{width}.png", full_page=True)
        assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
