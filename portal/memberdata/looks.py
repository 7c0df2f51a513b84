"""Who looked: every page by which staff sees a member's ticket, files or transcript leaves
one StaffView row, written with one INSERT and no other query (the page already holds the
ticket or chat). A member looking at their own data leaves nothing.
"""

from django.utils import timezone

from livechat.models import Chat
from portal.memberdata.models import StaffView
from tickets.models import Ticket


def staff_looked(request, *, kind: str, subject: str, member_id: int | None) -> None:
    """Record that the request's staff user saw `subject` of the member `member_id`."""
    viewer = request.user
    if not viewer.is_staff or viewer.pk == member_id:
        return
    StaffView.objects.create(
        at=timezone.now(),
        viewer=viewer,
        viewer_name=viewer.get_username(),
        member_id=member_id,
        kind=kind,
        subject=subject,
        path=request.get_full_path()[:300],
    )


def admin_page_looked(request, response) -> None:
    """Record the look at the ticket or chat an admin change page showed (a redirect after
    a change, a 404 or a refusal shows nothing)."""
    if response.status_code != 200 or not hasattr(response, "context_data"):
        return
    shown = response.context_data.get("original")
    if isinstance(shown, Ticket):
        kind, subject, member_id = StaffView.Kind.TICKET, shown.reference, shown.member_id
    elif isinstance(shown, Chat):
        kind, subject, member_id = StaffView.Kind.CHAT, str(shown.pk), shown.user_id
    else:
        return
    staff_looked(request, kind=kind, subject=subject, member_id=member_id)


class RecordsStaffViews:
    """ModelAdmin mixin (first among the bases): its change pages record who looked."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        admin_page_looked(request, response)
        return response
