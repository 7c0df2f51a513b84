import json
import logging

import pytest
from channels.generic.websocket import WebsocketConsumer
from channels.testing import WebsocketCommunicator

from helpdesk.logging import JSONFormatter, WebSocketLogMiddleware


def access_lines(caplog):
    return [r for r in caplog.records if r.name == "helpdesk.access"]


@pytest.mark.django_db
def test_it_logs_one_line_per_request_with_the_proxys_request_id(client, caplog):
    caplog.set_level(logging.INFO, "helpdesk.access")
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="5f0c8e1d2b3a49d1")
    assert response["X-Request-ID"] == "5f0c8e1d2b3a49d1"
    [line] = access_lines(caplog)
    assert (line.request_id, line.method, line.path, line.status) == (
        "5f0c8e1d2b3a49d1",
        "GET",
        "/accounts/login/",
        200,
    )
    assert line.user is None


@pytest.mark.django_db
def test_it_makes_its_own_id_when_the_proxy_sends_none_or_a_strange_one(client, caplog, silver):
    caplog.set_level(logging.INFO, "helpdesk.access")
    client.force_login(silver)
    first = client.get("/", HTTP_X_REQUEST_ID="<script>")
    second = client.get("/")
    assert len({first["X-Request-ID"], second["X-Request-ID"], "<script>"}) == 3
    assert [line.user for line in access_lines(caplog)] == [silver.pk, silver.pk]


def test_it_writes_json_with_the_request_fields():
    record = logging.LogRecord("helpdesk.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.request_id, record.status = "abc12345", 200
    line = json.loads(JSONFormatter().format(record))
    assert line["message"] == "GET / 200"
    assert (line["level"], line["request_id"], line["status"]) == ("INFO", "abc12345", 200)
    assert line["time"].endswith("+00:00")


class Echo(WebsocketConsumer):
    def connect(self):
        if self.scope["path"] == "/ws/refused/":
            self.close(code=4403)
        else:
            self.accept()


def logged_socket(path):
    app = WebSocketLogMiddleware(Echo.as_asgi())
    return WebsocketCommunicator(app, path, headers=[(b"x-request-id", b"nginx-0123456789")])


# django_db: channels closes stale database connections around each consumer event.
@pytest.mark.django_db
async def test_it_logs_a_websocket_connect_and_close(caplog):
    caplog.set_level(logging.INFO, "helpdesk.access")
    socket = logged_socket("/ws/echo/")
    assert (await socket.connect())[0]
    await socket.disconnect(code=1001)
    lines = [
        (r.event, r.path, getattr(r, "code", None), r.request_id) for r in access_lines(caplog)
    ]
    assert lines == [
        ("ws.connect", "/ws/echo/", None, "nginx-0123456789"),
        ("ws.close", "/ws/echo/", 1001, "nginx-0123456789"),
    ]


@pytest.mark.django_db
async def test_it_logs_a_refused_websocket_with_the_servers_code(caplog):
    caplog.set_level(logging.INFO, "helpdesk.access")
    socket = logged_socket("/ws/refused/")
    connected, code = await socket.connect()
    assert (connected, code) == (False, 4403)
    await socket.wait()
    assert [(r.event, r.code) for r in access_lines(caplog)] == [("ws.close", 4403)]
