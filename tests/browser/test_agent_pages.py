"""The agents' other admin pages at 1280 px in Polish: the queue (statuses in the agents'
words, service-level badges and filters, the bulk "Assign to …") and a chat transcript
read as a conversation; axe-core on each."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

SHOTS = "/tmp/shots/agents-admin"


def test_the_queue_and_a_transcript_in_polish(page, base_url, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "agent")
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": base_url}])
    page.goto(f"{base_url}/admin/tickets/ticket/")
    expect(page.locator("#result_list")).to_contain_text("Czeka na członka")
    expect(page.locator("#result_list .sla-badge").first).to_contain_text("termin za")
    expect(page.locator("#changelist-filter")).to_contain_text("Po terminie")
    expect(page.locator("select[name=assignee]")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/queue-pl-1280.png", full_page=True)
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    page.goto(f"{base_url}/admin/livechat/chat/")
    transcripts = page.locator("#result_list tbody a")
    if transcripts.count():
        transcripts.first.click()
        expect(page.locator(".transcript")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/transcript-pl-1280.png", full_page=True)
        assert axe_violations(page) == []
