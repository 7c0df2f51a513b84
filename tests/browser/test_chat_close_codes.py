"""A socket the server closes for good stays closed: the member's page and the console show
why and do not reconnect (docs/protocol.md, close codes)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import has_horizontal_scroll
from tests.browser.test_chat import start_chat

TOO_BIG = "x" * 70_000  # over the 64 KB a frame may hold


def relayed(page, pattern):
    """Pass the page's sockets matching `pattern` to the real server; answer the server
    ends, in order of opening, so the test can speak for the page."""
    servers = []

    def relay(socket):
        servers.append(socket.connect_to_server())

    page.route_web_socket(re.compile(pattern), relay)
    return servers


def test_the_member_page_does_not_reconnect_after_4009(page, base_url):
    servers = relayed(page, r"/ws/chat/")
    page.goto(f"{base_url}/chat/")
    page.get_by_label("What is your name?").fill("Olga")
    page.get_by_label("Email address").fill("olga@example.com")
    start_chat(page, "The download never starts.")
    expect(page.locator("#connection")).to_have_text("Connected")
    servers[-1].send(TOO_BIG)
    expect(page.locator("#connection")).to_have_text(
        "The connection was closed: that was too much to send at once."
    )
    page.wait_for_timeout(2500)  # past the first back-off
    assert len(servers) == 1
    expect(page.locator("#connection")).to_contain_text("too much to send at once")
    page.set_viewport_size({"width": 375, "height": 800})
    assert not has_horizontal_scroll(page)  # the long status wraps


def test_the_console_does_not_reconnect_after_4009(page, sign_in, base_url):
    sign_in(page, "agent")
    servers = relayed(page, r"/ws/console/")
    page.goto(f"{base_url}/chat/console/")
    expect(page.locator("#connection")).to_have_text("Connected")
    servers[-1].send(TOO_BIG)
    expect(page.locator("#connection")).to_contain_text("too much to send at once")
    page.wait_for_timeout(2500)
    assert len(servers) == 1
