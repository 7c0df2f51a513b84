from django.urls import include, path

from portal import report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("reports/", report_views.reports_page, name="reports"),
]
