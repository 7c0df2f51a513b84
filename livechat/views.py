import hashlib
import math
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livechat import events, strings
from livechat.availability import availability, opening_hours
from livechat.errors import ChatError
from livechat.forms import StartChatForm
from livechat.frames import chat_cards
from livechat.groups import OWN_CHATS
from livechat.language import foreign_language
from livechat.models import AgentPresence, Chat, Message
from livechat.notify import publish
from livechat.services import (
    agent_name,
    chat_leave_message,
    chat_open,
    chat_say,
    chat_to_ticket,
)
from portal.access import agent_required, can_open_tech_issues
from portal.drafts import draft_for, draft_keep
from portal.hours import current as hours
from portal.limits import form_status, over_limit
from portal.sessions import session_key
from tickets.languages import LANGUAGES_BY_CODE

HISTORY_PER_PAGE = 20


@login_not_required
def start(request):
    form = StartChatForm(request.POST or None, initial=_initial(request))
    if not form.is_valid() or over_limit(request, form, "chat"):
        return _start_page(request, form)
    question = form.cleaned_data["question"]
    language = foreign_language(question)
    if language is not None:
        offer = _offer(request, language, form.cleaned_data)
        return render(request, "livechat/not_english.html", offer)
    if request.POST.get("action") == "message" or not hours.is_open(timezone.now()):
        return _leave_message(request, form.cleaned_data)
    update = chat_open(
        **form.cleaned_data,
        session_key=session_key(request),
        user=_member(request),
        language=request.LANGUAGE_CODE,
        now=timezone.now(),
    )
    if not update.messages:
        return _back_to(request, update.chat, question)
    publish(update)
    return _enter(request, update.chat)


@login_not_required
def room(request, chat_id):
    """The member's chat page, only for the session that opened the chat or the signed-in
    member it belongs to."""
    mine = Chat.objects.of_reader(session_key=request.session.session_key, user=request.user)
    chat = get_object_or_404(mine, pk=chat_id)
    if chat.state in (Chat.State.OFFLINE, Chat.State.ANSWERED):
        return render(request, "livechat/message_left.html", _message_left(request, chat))
    config = {
        "socket": f"/ws/chat/{chat.id}/",
        "strings": strings.member(),
        "icons": {"read": static("favicon.svg"), "unread": static("favicon-unread.svg")},
    }
    context = {"chat": chat, "config": config, "max_body": settings.LIVECHAT_MAX_BODY}
    return render(request, "livechat/room.html", context)


def history(request):
    """The signed-in member's past and open chats, newest first."""
    chats = Chat.objects.filter(user=request.user).select_related("agent", "ticket")
    pages = Paginator(chats.order_by("-created"), HISTORY_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "livechat/history.html", {"page": page})


def transcript(request, chat_id):
    """One of the member's chats, read-only, system lines in the reader's language."""
    mine = Chat.objects.filter(user=request.user).select_related("agent", "ticket")
    chat = get_object_or_404(mine, pk=chat_id)
    lines = events.lines(chat.messages.order_by("seq"), request.LANGUAGE_CODE)
    return render(request, "livechat/transcript.html", {"chat": chat, "lines": lines})


@agent_required
def console(request):
    now = timezone.now()
    presence = AgentPresence.objects.filter(agent=request.user).first()
    config = {
        "me": request.user.pk,
        "cards": chat_cards(console_chats(request, now), now),
        "capacity": settings.LIVECHAT_AGENT_CAPACITY,
        "convert_within": settings.LIVECHAT_CONVERT_WITHIN.total_seconds(),
        "away": bool(presence and presence.away),
        "alerts": bool(presence and presence.alerts),
        "strings": strings.console(),
        "sound": static("livechat/ding.wav"),
    }
    context = {"config": config, "max_body": settings.LIVECHAT_MAX_BODY}
    context["offline_count"] = Chat.objects.offline().count()
    return render(request, "livechat/console.html", context)


def console_chats(request, now) -> list[Chat]:
    """The agent's active chats in the order they were accepted, then those ended lately
    that could still become tickets and were not dismissed, in the order they ended."""
    lately = Q(state=Chat.State.ENDED, ended_at__gte=now - settings.LIVECHAT_CONVERT_WITHIN)
    chats = (
        Chat.objects.filter(Q(state=Chat.State.ACTIVE) | lately, agent=request.user)
        .exclude(dismissed=True)
        .select_related("user__profile")
        .order_by(F("ended_at").asc(nulls_first=True), "accepted_at")
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
    """Take an ended chat's card off the agent's console, for good."""
    chats = Chat.objects.filter(pk=chat_id, agent=request.user)
    if not chats.exists():
        raise Http404
    if not chats.exclude(state=Chat.State.ACTIVE).update(dismissed=True):
        return HttpResponse(status=409)  # an active chat is ended, not dismissed
    return HttpResponse(status=204)


def _member(request):
    return request.user if request.user.is_authenticated else None


def _start_page(request, form):
    """The pre-chat form, with the way back to the chat this browser session or signed-in
    member has open, if any."""
    key = request.session.session_key
    mine = Chat.objects.open_for(session_key=key, user=request.user, now=timezone.now())
    chat = mine.select_related("agent").first()
    now = availability(timezone.now())
    context = {
        "form": form,
        "open_chat": chat,
        "open_agent": agent_name(chat.agent) if chat and chat.agent else "",
        "now": now,
        # As the chat page says it: under a minute is "in a moment".
        "wait_minutes": math.ceil(now.wait_seconds / 60) if (now.wait_seconds or 0) >= 60 else 0,
        "opening_hours": opening_hours(),
        "time_zone": hours.schedule().time_zone,
    }
    return render(request, "livechat/start.html", context, status=form_status(form))


def _enter(request, chat: Chat):
    """Go to the chat's page, remembering the chat in the session (it follows sign-in)."""
    request.session[OWN_CHATS] = [*request.session.get(OWN_CHATS, [])[-9:], str(chat.id)]
    return redirect("livechat:room", chat_id=chat.id)


def _leave_message(request, typed: dict):
    """Nobody can chat now: keep the question for an agent to answer by e-mail."""
    chat = chat_leave_message(
        **typed,
        session_key=session_key(request),
        user=_member(request),
        language=request.LANGUAGE_CODE,
        now=timezone.now(),
    )
    return _enter(request, chat)


def _message_left(request, chat: Chat) -> dict:
    """The page after leaving a message; a member past the gate may file a ticket too."""
    ticket_url = ""
    if chat.state == Chat.State.OFFLINE and chat.user and can_open_tech_issues(chat.user):
        fields = {"language": chat.language or "en", "description": chat.question}
        ticket_url = f"{reverse('tickets:new')}?draft=" + draft_keep(
            request.session, "ticket", fields
        )
    return {"chat": chat, "ticket_url": ticket_url}


def _back_to(request, chat: Chat, question: str):
    """Lead a second request back to the chat already open. A new question joins it as
    the member's next message (once: the client_id is the question's digest)."""
    text = _("You already have a chat open, so we have brought you back to it.")
    if question.strip() != chat.question.strip():
        digest = hashlib.sha256(question.encode()).hexdigest()[:32]
        try:
            said = chat_say(
                chat=chat,
                author=Message.Author.MEMBER,
                name=chat.name,
                body=question,
                client_id=f"form-{digest}",
                now=timezone.now(),
            )
        except ChatError:
            pass  # too fast or just ended: the page shows the chat as it is
        else:
            publish(said)
            text = _("You already have a chat open: we have added your question to it.")
    messages.info(request, text)
    return _enter(request, chat)


def _initial(request) -> dict:
    """The member's details, and what they typed before an offer sent them back."""
    kept = draft_for(request.session, "chat", request.GET.get("draft"))
    return {**StartChatForm.initial_for(request.user), **kept}


def _own_language(question_language: str, interface_language: str) -> str | None:
    """Besides English, the offer speaks the question's language when the portal has it,
    else the language the member reads the portal in."""
    for language in (question_language, interface_language):
        if language in dict(settings.LANGUAGES) and language != "en":
            return language
    return None


def _offer(request, language: str, typed: dict) -> dict:
    """What a clearly non-English request is offered, by who asks: a visitor signs in to
    file a ticket, a member below the gate writes in English, a member past it files a
    ticket. The question waits in the session, for the ticket form or the chat form."""
    keep = partial(draft_keep, request.session)
    ticket_url = f"{reverse('tickets:new')}?draft=" + keep(
        "ticket", {"language": language, "description": typed["question"]}
    )
    if not request.user.is_authenticated:
        audience = "visitor"
    elif can_open_tech_issues(request.user):
        audience = "member"
    else:
        audience = "below"
    own_language = _own_language(language, request.LANGUAGE_CODE)
    return {
        "audience": audience,
        "language": LANGUAGES_BY_CODE[language],
        "own_language": own_language,
        # The English copy is for a reader of the English portal; on a Polish page it is
        # the same offer again in a language the reader did not choose.
        "english_too": request.LANGUAGE_CODE == "en" or own_language is None,
        "ticket_url": ticket_url,
        "login_url": f"{reverse('login')}?{urlencode({'next': ticket_url})}",
        "chat_url": f"{reverse('livechat:start')}?draft={keep('chat', typed)}",
    }
