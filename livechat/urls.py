from django.urls import path

from livechat import views

app_name = "livechat"
urlpatterns = [
    path("", views.start, name="start"),
    path("console/", views.console, name="console"),
    path("history/", views.history, name="history"),
    path("<uuid:chat_id>/transcript/", views.transcript, name="transcript"),
    path("<uuid:chat_id>/", views.room, name="room"),
    path("<uuid:chat_id>/ticket/", views.convert, name="convert"),
]
