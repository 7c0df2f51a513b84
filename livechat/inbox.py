"""The console's offline messages: questions left while nobody could chat, answered by
e-mail (the member receives the question and the answer, in their language)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from livechat.errors import ChatError
from livechat.models import Chat
from livechat.services import chat_answer_message
from portal.access import agent_required

PAGE = 50


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your answer by e-mail"),
        max_length=settings.LIVECHAT_MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@agent_required
def offline_messages(request):
    waiting = Chat.objects.offline().select_related("user__profile")[:PAGE]
    return render(request, "livechat/offline_messages.html", {"waiting": waiting})


@require_POST
@agent_required
def answer(request, chat_id):
    chat = get_object_or_404(Chat.objects.offline(), pk=chat_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer first."))
        return redirect("livechat:offline_messages")
    try:
        chat_answer_message(
            chat=chat, agent=request.user, body=form.cleaned_data["body"], now=timezone.now()
        )
    except ChatError as error:
        messages.error(request, error.message)
    else:
        text = _("Your answer to %(name)s is on its way to %(email)s.")
        messages.success(request, text % {"name": chat.name, "email": chat.email})
    return redirect("livechat:offline_messages")
