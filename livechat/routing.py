from django.urls import path

from livechat.console import ConsoleConsumer
from livechat.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<uuid:chat_id>/", ChatConsumer.as_asgi()),
    path("ws/console/", ConsoleConsumer.as_asgi()),
]
