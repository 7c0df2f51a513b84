from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from helpdesk.health import health

# The agents' workplace says whose it is, not "Django administration".
admin.site.site_header = admin.site.site_title = _("Help portal administration")
admin.site.index_title = _("Ticket queue, chats and members")

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
