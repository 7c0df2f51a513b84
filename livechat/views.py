from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livechat import strings
from livechat.errors import ChatError
from livechat.forms import StartChatForm
from livechat.frames import chat_cards
from livechat.groups import DISMISSED, OWN_CHATS
from livechat.language import foreign_language
from livechat.models import AgentPresence, Chat
from livechat.notify import publish
from livechat.services import chat_open, chat_to_ticket
from portal.access import agent_required
from portal.limits import form_status, over_limit
from portal.sessions import session_key
from tickets.languages import LANGUAGES_BY_CODE


@login_not_required
def start(request):
    form = StartChatForm(request.POST or None, initial=StartChatForm.initial_for(request.user))
    if not form.is_valid() or over_limit(request, form, "chat"):
        return render(request, "livechat/start.html", {"form": form}, status=form_status(form))
    question = form.cleaned_data["question"]
    language = foreign_language(question)
    if language is not None:
        return render(request, "livechat/not_english.html", _offer(language, question))
    update = chat_open(
        **form.cleaned_data,
        session_key=session_key(request),
        user=request.user if request.user.is_authenticated else None,
        language=request.LANGUAGE_CODE,
        now=timezone.now(),
    )
    publish(update)
    request.session[OWN_CHATS] = [*request.session.get(OWN_CHATS, [])[-9:], str(update.chat.id)]
    return redirect("livechat:room", chat_id=update.chat.id)


@login_not_required
def room(request, chat_id):
    """The member's chat page, only for the session that opened the chat."""
    session_key = request.session.session_key or ""
    chat = get_object_or_404(Chat, pk=chat_id, session_key=session_key)
    config = {"socket": f"/ws/chat/{chat.id}/", "strings": strings.member()}
    context = {"chat": chat, "config": config, "max_body": settings.LIVECHAT_MAX_BODY}
    return render(request, "livechat/room.html", context)


@agent_required
def console(request):
    now = timezone.now()
    presence = AgentPresence.objects.filter(agent=request.user).first()
    config = {
        "me": request.user.pk,
        "cards": chat_cards(console_chats(request, now), now),
        "capacity": settings.LIVECHAT_AGENT_CAPACITY,
        "away": bool(presence and presence.away),
        "alerts": bool(presence and presence.alerts),
        "strings": strings.console(),
        "sound": static("livechat/ding.wav"),
    }
    context = {"config": config, "max_body": settings.LIVECHAT_MAX_BODY}
    return render(request, "livechat/console.html", context)


def console_chats(request, now) -> list[Chat]:
    """The agent's active chats, and those ended lately that could still become tickets
    and were not dismissed, in the order they were accepted."""
    lately = Q(state=Chat.State.ENDED, ended_at__gte=now - settings.LIVECHAT_CONVERT_WITHIN)
    chats = (
        Chat.objects.filter(Q(state=Chat.State.ACTIVE) | lately, agent=request.user)
        .exclude(pk__in=request.session.get(DISMISSED, []))
        .select_related("user__profile")
        .order_by("accepted_at")
    )
    return list(chats)


@require_POST
@agent_required
def convert(request, chat_id):
    """Turn the agent's chat into a ticket of its member; an active chat ends. The console
    asks for JSON (and stays as it is); a plain form post comes back to the console."""
    chat = get_object_or_404(Chat.objects.select_related("user"), pk=chat_id, agent=request.user)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        ticket, update = chat_to_ticket(chat=chat, agent=request.user, now=timezone.now())
    except ChatError as error:
        if wants_json:
            return JsonResponse({"error": str(error.message)}, status=409)
        messages.error(request, error.message)
        return redirect("livechat:console")
    publish(update)
    text = _("Ticket %(reference)s created from the chat with %(name)s.")
    text %= {"reference": ticket.reference, "name": chat.name}
    if wants_json:
        url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
        return JsonResponse({"reference": ticket.reference, "url": url, "message": text})
    messages.success(request, text)
    return redirect("livechat:console")


@require_POST
@agent_required
def dismiss(request, chat_id):
    """Take an ended chat's card off the agent's console (kept in the session)."""
    chat = get_object_or_404(Chat, pk=chat_id, agent=request.user)
    if chat.state == Chat.State.ACTIVE:
        return HttpResponse(status=409)
    request.session[DISMISSED] = [*request.session.get(DISMISSED, [])[-49:], str(chat.pk)]
    return HttpResponse(status=204)


def _offer(language: str, question: str) -> dict:
    """What a clearly non-English request is offered: a ticket, prefilled."""
    # The ticket form reads `language` and `description` from the query string.
    ticket_url = (
        f"{reverse('tickets:new')}?{urlencode({'language': language, 'description': question})}"
    )
    return {
        "language": LANGUAGES_BY_CODE[language],
        "own_language": language if language in dict(settings.LANGUAGES) else None,
        "ticket_url": ticket_url,
        "login_url": f"{reverse('login')}?{urlencode({'next': ticket_url})}",
    }
