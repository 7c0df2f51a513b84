from django.urls import path

from portal.memberdata import views

app_name = "memberdata"
urlpatterns = [
    path("", views.your_data, name="your_data"),
]
