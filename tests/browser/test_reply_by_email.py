"""Reply by e-mail, as people see it: silver answers a notification from their mail client
(a message delivered into a real dovecot), the timer's command reads the mailbox, and
silver sees the reply and its screenshot on the ticket's page, in English and Polish; the
agent sees it in the admin, an administrator the received mail."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import png, speak
from tests.servers import Daphne, manage, portal_env, shell
from tickets.tests.conftest import dovecot  # noqa: F401  (the session's IMAP server)
from tickets.tests.mail import Mailbox, message

SHOTS = Path("/tmp/shots/email")
ADDRESS = """
from portal.models import Profile
from tickets.inbound.addresses import reply_address
from tickets.models import Ticket
ticket = Ticket.objects.get(summary="Nie można przetworzyć zamówienia")
print(ticket.reference, reply_address(ticket, ticket.member))
"""
QUOTED = "\n\nOn Tue, 1 Dec 2026 at 10:00, Tech Support <support@help.example.com> wrote:\n> Hi"


@pytest.fixture(scope="module")
def mail_portal(dovecot, tmp_path_factory):  # noqa: F811
    env = portal_env(
        tmp_path_factory.mktemp("mail-portal"),
        INBOUND_EMAIL_URL=dovecot.url(),
        DJANGO_DEFAULT_FROM_EMAIL="Tech Support <support@help.example.com>",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    daphne = Daphne(env).start()
    yield daphne
    shell(env, "from portal.models import Profile; Profile.objects.update(preferred_language='en')")
    daphne.stop()


def sign_in(page, portal, username):
    page.context.clear_cookies()
    page.goto(f"{portal.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{portal.url}/")


def look(page, name: str, audit=True) -> None:
    """Screenshots at 1280 and 375 px; on the portal's own pages (not Django's admin, whose
    markup is Django's), what a person would trip over at 375."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=SHOTS / f"{name}-375.png", full_page=True)
    if audit:
        assert not has_horizontal_scroll(page)
        assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("language", ["en", "pl"])
def test_silver_answers_the_e_mail_and_sees_it_on_the_ticket(page, mail_portal, dovecot, language):  # noqa: F811
    reference, address = shell(mail_portal.env, ADDRESS).split()
    text = {"en": "Order 1234, screenshot attached.", "pl": "Zamówienie 1234, zrzut w załączniku."}
    reply = message(
        sender="silver@example.com", to=address, subject="Re: ...", text=text[language] + QUOTED
    )
    reply.add_attachment(png(), maintype="image", subtype="png", filename=f"cart-{language}.png")
    with Mailbox(dovecot) as box:
        box.empty()
        box.deliver(reply)
    assert "1 message(s) read: 1 posted." in manage(mail_portal.env, "poll_inbound_email")

    sign_in(page, mail_portal, "silver")
    speak(page, language)
    page.goto(f"{mail_portal.url}/tech-issues/{reference}/")
    card = page.locator("article", has_text=text[language])
    expect(card).to_be_visible()
    expect(card).not_to_contain_text("wrote:")
    thumbnail = card.locator("img.screenshot-thumbnail")
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)") > 0
    look(page, f"member-ticket-{language}")

    sign_in(page, mail_portal, "agent")
    page.goto(f"{mail_portal.url}/admin/tickets/ticket/?q={reference}")
    page.get_by_role("link", name=reference).click()
    expect(page.locator(".ticket-thread")).to_contain_text(text[language])
    expect(
        page.locator(".ticket-thread").get_by_role("link", name=f"cart-{language}.png")
    ).to_have_count(1)
    look(page, f"agent-admin-{language}", audit=False)


def test_an_administrator_sees_what_the_mailbox_received(page, mail_portal, dovecot):  # noqa: F811
    with Mailbox(dovecot) as box:
        box.empty()
        box.deliver(
            message(sender="stranger@example.net", to="support@help.example.com", text="Hi")
        )
    manage(mail_portal.env, "poll_inbound_email")
    sign_in(page, mail_portal, "admin")
    page.goto(f"{mail_portal.url}/admin/tickets/inboundemail/")
    expect(page.locator("#result_list")).to_contain_text("stranger@example.net")
    expect(page.locator("#result_list")).to_contain_text("Not a reply to a ticket")
    look(page, "admin-inbound", audit=False)
