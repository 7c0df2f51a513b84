"""Canned replies from the keyboard: the agent types "/" in a reply box, filters, chooses
with the arrows, inserts with Enter and edits before sending; in English and in Polish."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.browser.test_tickets import speak

SHOTS = "/tmp/shots/agents-console"

pytestmark = pytest.mark.usefixtures("members_back_in_english")


def open_polish_demo_ticket(page, base_url):
    page.goto(f"{base_url}/admin/tickets/ticket/?q=Nie+można+przetworzyć")
    page.locator("#result_list tbody th a, #result_list tbody td a").first.click()
    expect(page.locator(".ticket-thread")).to_contain_text("Błąd 500")


def violations_within(page, selector) -> list[str]:
    """axe-core's violations inside one part of the page (the admin's own breadcrumbs fail
    link-in-text-block, which is Django's to fix, not the picker's)."""
    page.add_script_tag(path=str(AXE))
    script = "async (selector) => (await axe.run(selector)).violations.map(v => v.id)"
    return page.evaluate(script, selector)


def ticket_link(text: str) -> dict:
    link = next(word for word in text.split() if "/tech-issues/new/" in word)
    return parse_qs(urlparse(link).query)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_an_agent_inserts_a_canned_reply_with_the_keyboard_in_the_admin(
    page, sign_in, base_url, language
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "agent")
    speak(page, language)
    open_polish_demo_ticket(page, base_url)
    box = page.locator("textarea[data-canned-replies]")
    box.click()
    box.press_sequentially("Dzień dobry! /tic")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Ask to file a ticket")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    assert violations_within(page, "#ticket_form") == []
    page.screenshot(path=f"{SHOTS}/admin-picker-{language}.png")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Dzień dobry! /tic")
    box.press("Backspace")  # typing again opens the list again
    expect(listbox).to_be_visible()
    box.press("Enter")
    expect(listbox).to_be_hidden()
    # The ticket is Polish: the Polish body, its link prefilled in Polish, after what was typed.
    value = box.input_value()
    assert value.startswith("Dzień dobry! Sylwia, to wymaga dokładniejszego sprawdzenia")
    assert ticket_link(value)["language"] == ["pl"]
    box.press("End")
    box.press_sequentially(" Pozdrawiam, Alex")
    page.screenshot(path=f"{SHOTS}/admin-inserted-{language}.png")
    page.locator("input[name=_save]").click()  # the page's one Save
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator(".ticket-thread")).to_contain_text(re.compile(r"Pozdrawiam, Alex"))
