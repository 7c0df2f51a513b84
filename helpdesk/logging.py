"""One log line per request and per WebSocket connect and close, each with a request id.

The id is the proxy's (nginx sends its $request_id as X-Request-ID, deploy/nginx) when it
looks like one, else one made here; a response carries it back in X-Request-ID, so a
person can quote it. `DJANGO_LOG_FORMAT=json` writes each line as one JSON object.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

logger = logging.getLogger("helpdesk.access")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
FIELDS = ("request_id", "event", "method", "path", "status", "code", "duration_ms", "user")


def request_id(header: str | None) -> str:
    """Answer the proxy's request id if it is a sane one, else a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _milliseconds(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


class RequestLogMiddleware:
    """Log each request once it is answered: method, path, status, time taken, user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.id = request_id(request.headers.get("X-Request-ID"))
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        user = getattr(request, "user", None)
        fields = {
            "request_id": request.id,
            "event": "http",
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": _milliseconds(started),
            "user": user.pk if user is not None and user.is_authenticated else None,
        }
        logger.info(
            "%s %s %s %sms id=%s",
            request.method,
            request.path,
            response.status_code,
            fields["duration_ms"],
            request.id,
            extra=fields,
        )
        return response


class WebSocketLogMiddleware:
    """ASGI middleware: log a WebSocket when it is accepted and when it closes (with the
    close code, whichever side closed it)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        socket = LoggedSocket(scope, receive, send)
        try:
            return await self.app(scope, socket.receive, socket.send)
        finally:
            socket.closed()


class LoggedSocket:
    """One socket's log lines: what the middleware keeps for as long as the socket is open
    (slots and two bound methods, not closures and a dict of fields: a process holds
    thousands of idle sockets, bench/FINDINGS.md, idle_sockets)."""

    __slots__ = ("_receive", "_send", "code", "path", "rid", "started")

    def __init__(self, scope, receive, send):
        header = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), b"")
        self.rid = request_id(header.decode("latin-1"))
        self.path, self.started, self.code = scope["path"], time.monotonic(), None
        self._receive, self._send = receive, send

    def fields(self, event: str) -> dict:
        return {"request_id": self.rid, "path": self.path, "event": event}

    async def send(self, message):
        if message["type"] == "websocket.accept":
            extra = self.fields("ws.connect")
            logger.info("WS connect %s id=%s", self.path, self.rid, extra=extra)
        elif message["type"] == "websocket.close":
            self.code = message.get("code", 1000)
        await self._send(message)

    async def receive(self):
        message = await self._receive()
        if message["type"] == "websocket.disconnect" and self.code is None:
            self.code = message.get("code", 1005)
        return message

    def closed(self) -> None:
        extra = self.fields("ws.close") | {"code": self.code}
        extra["duration_ms"] = _milliseconds(self.started)
        line = (self.path, self.code, extra["duration_ms"], self.rid)
        logger.info("WS close %s %s %sms id=%s", *line, extra=extra)


class JSONFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, and the fields
    above when the record has them."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
