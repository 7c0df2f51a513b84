"""The agents' other admin pages at 1280 px in Polish: the queue (statuses in the agents'
words, service-level badges and filters, the bulk "Assign to …") and a chat transcript
read as a conversation; axe-core on each."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.servers import shell

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


def test_a_converted_chat_reads_as_a_conversation_and_links_to_its_ticket(
    portal, page, base_url, sign_in
):
    # A chat that silver had with the agent, turned into a ticket (no page makes one as
    # fast: the chat's own journeys are the livechat browser tests).
    # The console e-mail backend shares stdout (the member is sent the transcript).
    chat_id = re.search(r"^CHAT=(\S+)$", shell(portal.env, CONVERTED_CHAT), re.M)[1]
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "agent")
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": base_url}])
    page.goto(f"{base_url}/admin/livechat/chat/{chat_id}/change/")
    conversation = page.locator(".transcript")
    expect(conversation.locator(".transcript-agent")).to_contain_text("Which order number?")
    expect(conversation.locator(".transcript-member").first).to_contain_text("Sylwia")
    page.screenshot(path=f"{SHOTS}/transcript-pl-1280.png", full_page=True)
    assert axe_violations(page) == []
    page.locator(".field-ticket_link a").click()
    expect(page.locator(".field-assignee")).to_contain_text("agent")
    page.locator(".field-transcripts a").click()
    expect(page.locator(".transcript")).to_be_visible()


CONVERTED_CHAT = """
from django.contrib.auth.models import User
from django.utils import timezone
from livechat.models import Chat
from livechat.services import chat_accept, chat_open, chat_say, chat_to_ticket
silver, agent = User.objects.get(username="silver"), User.objects.get(username="agent")
now = timezone.now()
# A member with a chat open is led back to it (chat_open): earlier journeys may have left one.
Chat.objects.filter(user=silver, state__in=["waiting", "active"]).update(state="ended")
chat = chat_open(name="Sylwia", email="silver@example.com", member_id="1000007",
    question="Order page shows error 500", session_key="s-walk", now=now, user=silver).chat
chat_accept(chat_id=chat.pk, agent=agent, now=now)
chat_say(chat=chat, author="agent", name="Alex", body="Which order number?", client_id="", now=now)
chat_say(chat=chat, author="member", name="Sylwia", body="Order 1234", client_id="", now=now)
chat.refresh_from_db()
chat_to_ticket(chat=chat, agent=agent, now=now)
print(f"CHAT={chat.pk}")
"""


def test_the_member_reads_when_a_first_answer_can_be_expected(page, base_url, sign_in):
    """diamond's German demo ticket has no answer yet, under the demo's 4-hour target."""
    sign_in(page, "diamond")
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": base_url}])
    page.goto(f"{base_url}/tech-issues/")
    page.get_by_role("link", name="Deutsch - Passwort zurücksetzen funktioniert nicht").click()
    expect(page.locator(".first-answer")).to_have_text("Zwykle odpowiadamy w\u00a0ciągu 4 godzin.")
    page.screenshot(path=f"{SHOTS}/first-answer-pl-375.png", full_page=True)
    assert axe_violations(page) == []
