"""The edge (issue 13, items 1 and 2): TLS at nginx (HTTPS, one redirect from HTTP, HSTS,
Secure cookies) and TLS at a proxy in front of nginx (whose X-Forwarded-Proto and
X-Forwarded-For nginx believes from the trusted address only); /health/ for loopback and
the operator's monitor only. The whole 127/8 is loopback, so 127.0.0.2 plays the trusted
proxy and 127.0.0.3 the monitor (tests/servers.py, Nginx); 127.0.0.4 is anyone else."""

import asyncio
import http.client
import secrets
import urllib.parse

from tests.edge import certificate
from tests.scaleout.chat import ChatClient, active_chat, stored_messages, wait_until

MEMBER = """
from django.contrib.auth.models import User
from portal.models import Profile, Rank
user = User.objects.create_user("{username}", "{username}@example.com", "{password}")
Profile.objects.filter(user=user).update(rank=Rank.SILVER)
"""


def fetch(url: str, source="127.0.0.1", headers=None) -> http.client.HTTPResponse:
    """GET `url` from the loopback address `source`, following no redirect."""
    parts = urllib.parse.urlsplit(url)
    options = {"source_address": (source, 0), "timeout": 10}
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, context=certificate().context, **options
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, **options)
    connection.request(
        "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def set_cookies(response) -> dict[str, str]:
    """Each cookie the response sets, by name: its whole Set-Cookie header."""
    return {value.split("=", 1)[0]: value for value in response.headers.get_all("Set-Cookie") or []}


def test_a_member_signs_in_and_submits_a_ticket_over_https(browser, cluster):
    username, password = f"member-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    cluster.shell(MEMBER.format(username=username, password=password))
    landed = browser.sign_in(username, password)
    assert (landed.status, landed.url) == (200, f"{cluster.url}/")
    assert landed.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert {c.name: c.secure for c in browser.cookies} == {"csrftoken": True, "sessionid": True}
    browser.request("/tech-issues/new/").read()
    form = {"language": "en", "summary": "Printer offline", "description": "It says offline."}
    sent = browser.request(
        "/tech-issues/new/", {"csrfmiddlewaretoken": browser.cookie("csrftoken"), **form}
    )
    assert sent.status == 200
    assert sent.url.startswith(f"{cluster.url}/tech-issues/")
    assert "Printer offline" in sent.read().decode()


async def test_a_chat_runs_over_wss(cluster):
    chat_id, visitor, agent = await active_chat(cluster)
    member = await ChatClient(cluster.url, chat_id, visitor).start()
    helper = await ChatClient(cluster.url, chat_id, agent).start()
    assert member.url.startswith("wss://127.0.0.1:")
    said = await helper.say("Hello over TLS")
    await wait_until(lambda: not helper.pending and member.seen == helper.seen, 10, "echoed")
    stored = await asyncio.to_thread(stored_messages, cluster.shell, chat_id)
    assert [seq for seq, client_id in stored if client_id == said] == [member.seen]
    for client in (member, helper):
        await client.stop()


def test_plain_http_is_redirected_once_to_https(cluster):
    first = fetch(f"{cluster.nginx.http_url}/tech-issues/?page=2")
    assert first.status == 301
    assert first.headers["Location"] == f"{cluster.url}/tech-issues/?page=2"
    # The HTTPS page answers itself (to the sign-in page: a redirect of the portal's own,
    # never back to http).
    second = fetch(first.headers["Location"])
    assert second.status == 302
    assert second.headers["Location"] == "/accounts/login/?next=/tech-issues/%3Fpage%3D2"
    assert fetch(f"{cluster.url}/accounts/login/").status == 200


def test_behind_a_proxy_its_scheme_is_believed_from_the_trusted_address(proxied):
    answer = fetch(
        f"{proxied.url}/accounts/login/", source="127.0.0.2", headers={"X-Forwarded-Proto": "https"}
    )
    assert answer.status == 200
    assert "; Secure" in set_cookies(answer)["csrftoken"]
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_proxy_a_spoofed_scheme_from_anyone_else_is_not_believed(proxied):
    answer = fetch(
        f"{proxied.url}/accounts/login/", source="127.0.0.4", headers={"X-Forwarded-Proto": "https"}
    )
    # The portal saw plain HTTP: it sends the client to HTTPS and sets nothing.
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")
    assert set_cookies(answer) == {}
    assert "Strict-Transport-Security" not in answer.headers


def test_health_answers_loopback_and_the_monitor_only(cluster):
    url = f"{cluster.url}/health/"
    statuses = {
        source: fetch(url, source).status for source in ("127.0.0.1", "127.0.0.3", "127.0.0.4")
    }
    assert statuses == {"127.0.0.1": 200, "127.0.0.3": 200, "127.0.0.4": 403}


def test_behind_a_proxy_health_judges_the_client_the_proxy_names(proxied):
    url = f"{proxied.url}/health/"
    proxy = {"X-Forwarded-Proto": "https"}

    def status(client: str) -> int:
        # A client's own X-Forwarded-For entries come first; the proxy adds the address it saw.
        forwarded = {"X-Forwarded-For": f"127.0.0.1, {client}", **proxy}
        return fetch(url, source="127.0.0.2", headers=forwarded).status

    assert (status("127.0.0.3"), status("127.0.0.4")) == (200, 403)
    # Straight from an untrusted address, its claim to be the monitor is not believed.
    claim = {"X-Forwarded-For": "127.0.0.3"}
    assert fetch(url, source="127.0.0.4", headers=claim).status == 403
