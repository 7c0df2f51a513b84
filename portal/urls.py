from django.urls import include, path

from portal import report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("reports/", report_views.reports_page, name="reports"),
]
