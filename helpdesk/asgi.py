"""One ASGI application for HTTP and WebSockets, served by daphne."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
# Django must be set up before the consumers (and their models) are imported.
django.setup(set_prefix=False)

from helpdesk.handlers import PortalASGIHandler  # noqa: E402

django_asgi_app = PortalASGIHandler()

from helpdesk.checks import refuse_to_start_unconfigured  # noqa: E402

# daphne runs no system checks: a placeholder secret or e-mail links to nowhere stop the
# process here, before it serves anyone (systemd shows why in the journal).
refuse_to_start_unconfigured()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from helpdesk import halfsent, transport  # noqa: E402
from helpdesk.logging import WebSocketLogMiddleware  # noqa: E402
from helpdesk.socket_auth import SocketAuthMiddleware  # noqa: E402
from livechat.routing import websocket_urlpatterns  # noqa: E402

# Before daphne opens its port: WebSocket frames leave when written (helpdesk/transport.py),
# and a response that fails half-sent is cut off, not left open (helpdesk/halfsent.py).
transport.install()
halfsent.install()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WebSocketLogMiddleware(
            AllowedHostsOriginValidator(SocketAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
