from django.urls import path

from livechat import views

app_name = "livechat"
urlpatterns = [
    path("", views.start, name="start"),
    path("console/", views.console, name="console"),
]
