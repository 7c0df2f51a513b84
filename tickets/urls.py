from django.urls import path

from tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("new/title/", views.title_preview, name="title_preview"),
    path("submissions/<str:token>/", views.submission, name="submission"),
    path("files/<int:pk>/screenshot/", views.screenshot, name="screenshot"),
    path(
        "files/<int:pk>/thumbnail/",
        views.screenshot,
        {"variant": "thumbnail"},
        name="thumbnail",
    ),
    path("<str:reference>/", views.ticket_detail, name="detail"),
    path("<str:reference>/status/", views.ticket_status, name="status"),
]
