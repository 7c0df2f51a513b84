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
        headers = dict(scope.get("headers", []))
        rid = request_id(headers.get(b"x-request-id", b"").decode("latin-1"))
        started, code = time.monotonic(), None
        fields = {"request_id": rid, "path": scope["path"]}

        async def logged_send(message):
            nonlocal code
            if message["type"] == "websocket.accept":
                extra = fields | {"event": "ws.connect"}
                logger.info("WS connect %s id=%s", scope["path"], rid, extra=extra)
            elif message["type"] == "websocket.close":
                code = message.get("code", 1000)
            await send(message)

        async def logged_receive():
            nonlocal code
            message = await receive()
            if message["type"] == "websocket.disconnect" and code is None:
                code = message.get("code", 1005)
            return message

        try:
            return await self.app(scope, logged_receive, logged_send)
        finally:
            extra = fields | {"event": "ws.close", "code": code}
            extra["duration_ms"] = _milliseconds(started)
            line = (scope["path"], code, extra["duration_ms"], rid)
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
