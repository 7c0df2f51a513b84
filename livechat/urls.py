from django.urls import path

from livechat import views

app_name = "livechat"
urlpatterns = [
    path("", views.start, name="start"),
    path("console/", views.console, name="console"),
    path("<uuid:chat_id>/", views.room, name="room"),
    path("<uuid:chat_id>/ticket/", views.convert, name="convert"),
    path("<uuid:chat_id>/dismiss/", views.dismiss, name="dismiss"),
]
