from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.models import Profile


class StartChatForm(forms.Form):
    """The pre-chat form, with the labels and placeholders of the member guide."""

    name = forms.CharField(
        label=_("What is your name?"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("Enter your name..."), "autocomplete": "name"}
        ),
    )
    member_id = forms.CharField(
        label=_("Member ID — Optional"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Enter your member ID...")}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(
            attrs={"placeholder": _("Enter your email address..."), "autocomplete": "email"}
        ),
    )
    question = forms.CharField(
        label=_("How can we help?"),
        max_length=settings.LIVECHAT_MAX_BODY,
        widget=forms.Textarea(attrs={"placeholder": _("Enter your question..."), "rows": 4}),
    )

    @staticmethod
    def initial_for(user) -> dict:
        """Prefill the form for a signed-in member."""
        if not user.is_authenticated:
            return {}
        try:
            member_id = user.profile.member_id
        except Profile.DoesNotExist:
            member_id = ""
        name = user.get_full_name() or user.get_username()
        return {"name": name, "member_id": member_id, "email": user.email}
