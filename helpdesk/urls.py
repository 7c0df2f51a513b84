from django.contrib import admin
from django.urls import include, path

from helpdesk.health import health

urlpatterns = [
    path("", include("portal.urls")),
    path("tech-issues/", include("tickets.urls")),
    path("your-data/", include("portal.memberdata.urls")),
    path("chat/", include("livechat.urls")),
    path("canned-replies/", include("portal.replies.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]

handler400 = "portal.views.bad_request"
