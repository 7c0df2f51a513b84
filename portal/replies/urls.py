from django.urls import path

from portal.replies import views

app_name = "replies"
urlpatterns = [
    path("", views.reply_list, name="list"),
    path("<int:pk>/used/", views.reply_used, name="used"),
]
