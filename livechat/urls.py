from django.urls import path

from livechat import inbox, views

app_name = "livechat"
urlpatterns = [
    path("", views.start, name="start"),
    path("console/", views.console, name="console"),
    path("console/messages/", inbox.offline_messages, name="offline_messages"),
    path("<uuid:chat_id>/answer/", inbox.answer, name="answer"),
    path("history/", views.history, name="history"),
    path("<uuid:chat_id>/transcript/", views.transcript, name="transcript"),
    path("<uuid:chat_id>/", views.room, name="room"),
    path("<uuid:chat_id>/ticket/", views.convert, name="convert"),
    path("<uuid:chat_id>/dismiss/", views.dismiss, name="dismiss"),
]
