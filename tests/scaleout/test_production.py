"""The production profile end to end: nginx in front of two daphne processes sharing
PostgreSQL and Redis, as deploy/ runs them."""

import json
import re
import secrets
import time

import redis

from tests.scaleout.conftest import Browser, production_env
from tests.servers import Daphne, free_port


def on_each_process(browser, path: str) -> list[tuple[int, str, bytes]]:
    """Request `path` until both processes have answered; answer (status, url, body) of
    each process's answer."""
    answers = {}
    for _ in range(30):
        response = browser.request(path)
        # After a process died, nginx names the one it tried first too: "A, B".
        upstream = response.headers["X-Upstream"].split(", ")[-1]
        answers[upstream] = (response.status, response.url, response.read())
        if len(answers) == 2:
            return list(answers.values())
    raise AssertionError(f"nginx sent every request for {path} to {list(answers)}")


def test_health_reports_every_dependency_of_both_processes(browser):
    for status, _, body in on_each_process(browser, "/health/"):
        assert status == 200
        assert json.loads(body) == {
            "status": "ok",
            "database": "ok",
            "channel_layer": "ok",
            "cache": "ok",
        }


def test_health_lets_go_of_the_channels_it_checks_with(browser, cluster):
    for _ in range(6):
        assert browser.request("/health/").status == 200
    client = redis.Redis.from_url(cluster.redis.url)
    assert client.pubsub_channels("asgihealth*") == []


def test_a_process_whose_database_and_redis_are_down_answers_503(tmp_path):
    closed = free_port()
    env = production_env(
        tmp_path,
        DATABASE_URL=f"postgres://portal@127.0.0.1:{closed}/helpdesk",
        REDIS_URL=f"redis://127.0.0.1:{closed}/0",
    )
    daphne = Daphne(env).start()
    try:
        status, states = Browser(daphne.url).json("/health/")
    finally:
        daphne.stop()
    assert status == 503
    assert states == {
        "status": "down",
        "database": "down",
        "channel_layer": "down",
        "cache": "down",
    }


def test_health_says_redis_is_down_while_it_restarts(browser, cluster):
    cluster.redis.stop()
    try:
        status, states = browser.json("/health/")
        assert (status, states["cache"], states["database"]) == (503, "down", "ok")
    finally:
        cluster.redis.start()
    deadline = time.monotonic() + 10
    while browser.json("/health/")[0] != 200:
        assert time.monotonic() < deadline, "still down 10 s after Redis came back"
        time.sleep(0.2)


def test_a_session_made_on_one_process_is_known_to_the_other(browser, cluster):
    password = secrets.token_urlsafe(12)
    cluster.manage("create_agent", "alex", "--email", "alex@example.com", input=password)
    landed = browser.sign_in("alex", password)
    assert landed.url == f"{cluster.url}/"
    for status, url, _ in on_each_process(browser, "/chat/console/"):
        assert (status, url) == (200, f"{cluster.url}/chat/console/")


def test_nginx_serves_the_collected_static_files(browser):
    page = browser.request("/accounts/login/").read().decode()
    [stylesheet] = re.findall(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    response = browser.request(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/css"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "X-Upstream" not in response.headers


def test_the_cache_is_shared_through_redis(cluster):
    cluster.shell("from django.core.cache import cache; cache.set('shared-probe', 42)")
    seen = cluster.shell("from django.core.cache import cache; print(cache.get('shared-probe'))")
    assert seen.strip() == "42"
    assert redis.Redis.from_url(cluster.redis.url).exists(":1:shared-probe")


def test_each_process_logs_every_request_as_json_with_nginxs_request_id(browser, cluster):
    response = browser.request("/accounts/login/")
    request_id = response.headers["X-Request-ID"]
    daphne = cluster.daphne_at(response.headers["X-Upstream"])
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id
    lines = [json.loads(line) for line in daphne.log.read_text().splitlines() if '{"' in line]
    [line] = [line for line in lines if line.get("request_id") == request_id]
    assert (line["event"], line["path"], line["status"]) == ("http", "/accounts/login/", 200)


def test_a_client_cannot_dodge_the_sign_in_lockout_by_sending_x_forwarded_for(browser):
    # daphne --proxy-headers takes the first X-Forwarded-For address: nginx must send only
    # the address it saw, or every attempt could claim a new one.
    username = f"nobody-{secrets.token_hex(4)}"
    statuses = []
    for n in range(6):
        browser.request("/accounts/login/").read()
        form = {"csrfmiddlewaretoken": browser.cookie("csrftoken")}
        response = browser.request(
            "/accounts/login/",
            {**form, "username": username, "password": "wrong"},
            headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
        )
        statuses.append(response.status)
    assert statuses == [200] * 4 + [429] * 2
