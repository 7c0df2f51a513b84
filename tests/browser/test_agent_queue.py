"""The agents' ticket page in the admin: one form, one Save (assignee, reply, status), in
English and in Polish at 1280 px; axe-core on the page."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

SHOTS = "/tmp/shots/agents-admin"
WORDS = {
    "en": {
        "assignee": "Assignee",
        "open": "Open",
        "message": "Message",
        "save": "Save",
        "saved": "Saved.",
        "found": "1 technical issue",
    },
    "pl": {
        "assignee": "Przypisany agent",
        "open": "Otwarte",
        "message": "Wiadomość",
        "save": "Zapisz",
        "saved": "Zapisano.",
        "found": "1 problem techniczny",
    },
}


def file_ticket(page, base_url, sign_in, summary) -> str:
    sign_in(page, "silver")
    page.goto(f"{base_url}/tech-issues/new/")
    page.locator("#id_summary").fill(summary)
    page.locator("#id_description").fill("The order page shows Error 500.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/tech-issues/TI-*/")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_one_save_applies_the_assignee_the_reply_and_the_status(page, base_url, sign_in, language):
    words = WORDS[language]
    reference = file_ticket(page, base_url, sign_in, f"Order fails {uuid.uuid4().hex[:8]}")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "agent")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page.goto(f"{base_url}/admin/tickets/ticket/?q={reference}")
    expect(page.locator(".paginator")).to_contain_text(words["found"])  # the reader's plural
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/queue-{language}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=reference).click()
    # The labels end in a colon (the admin's style); the controls are found by their names.
    page.get_by_role("combobox", name=words["assignee"]).select_option(label="admin")
    page.locator("#id_new_status").select_option(label=words["open"])
    page.get_by_role("textbox", name=words["message"]).fill(f"Which order? {language}")
    page.screenshot(path=f"{SHOTS}/ticket-form-{language}-1280.png", full_page=True)
    page.get_by_role("button", name=words["save"], exact=True).click()

    expect(page.locator(".messagelist")).to_have_text(words["saved"])
    assignee = page.get_by_role("combobox", name=words["assignee"])
    expect(assignee.locator("option:checked")).to_have_text("admin")
    expect(page.locator(".field-status_label .readonly")).to_have_text(words["open"])
    expect(page.locator(".ticket-thread")).to_contain_text(f"Which order? {language}")
    page.screenshot(path=f"{SHOTS}/ticket-saved-{language}-1280.png", full_page=True)
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
