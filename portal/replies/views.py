"""The agents' JSON endpoints behind the reply boxes' picker (replies/static/replies/picker.js)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from livechat.models import Chat
from portal.access import is_agent
from portal.replies import context
from portal.replies.models import CannedReply
from tickets.models import Ticket


@require_GET
def reply_list(request):
    """The agent's replies, rendered for the chat (?chat=) or ticket (?ticket=) at hand."""
    _agents_only(request)
    reply_context = _context_of(request)
    replies = []
    for reply in CannedReply.objects.for_agent(request.user):
        language, body = reply_context.render(reply)
        replies.append(
            {
                "id": reply.pk,
                "title": reply.title,
                "shortcut": reply.shortcut,
                "language": language,
                "body": body,
                "used_url": reverse("replies:used", args=[reply.pk]),
            }
        )
    return JsonResponse({"replies": replies, "strings": _strings()})


@require_POST
def reply_used(request, pk):
    """Count one insertion of a reply into a reply box."""
    _agents_only(request)
    get_object_or_404(CannedReply.objects.for_agent(request.user), pk=pk).count_use()
    return HttpResponse(status=204)


def _agents_only(request) -> None:
    if not is_agent(request.user):
        raise PermissionDenied


def _context_of(request) -> context.ReplyContext:
    """The member the reply is for: one of the agent's own chats, or any ticket."""
    chat_id, ticket_id = request.GET.get("chat"), request.GET.get("ticket")
    try:
        if chat_id:
            chats = Chat.objects.select_related("user__profile").filter(agent=request.user)
            return context.for_chat(get_object_or_404(chats, pk=chat_id), request.user)
        if ticket_id:
            tickets = Ticket.objects.select_related("member__profile")
            return context.for_ticket(get_object_or_404(tickets, pk=ticket_id), request.user)
    except (ValueError, ValidationError):
        raise Http404 from None
    return context.for_agent(request.user)


def _strings() -> dict:
    """The picker's words, in the agent's language (the script has no catalogue)."""
    return {
        "label": _("Canned replies"),
        "count": _(
            "Canned replies matching: {count}. Up and down arrows choose, Enter inserts, "
            "Escape closes."
        ),
        "none": _("No canned reply matches."),
        "inserted": _("Inserted “{title}”. Edit it before sending."),
        "failed": _("The canned replies could not be loaded."),
    }
