"""Administrators' side of members' data: the erasure action on users (with its confirmation
page), the retention period, and the read-only record of who looked."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.memberdata.erasure import member_erase, members_chats
from portal.memberdata.models import RetentionPolicy, StaffView
from portal.records import ReadOnlyAdmin
from tickets.models import Screenshot


class AdministratorsOnly:
    """Members' data is the administrators' (superusers'), not the agents'."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(StaffView)
class StaffViewAdmin(AdministratorsOnly, ReadOnlyAdmin):
    list_display = ["at", "viewer_name", "kind", "subject", "member"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["viewer_name", "subject", "member__username"]
    list_select_related = ["member"]
    date_hierarchy = "at"


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(AdministratorsOnly, admin.ModelAdmin):
    fields = ["screenshot_days", "transcript_days", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # the one row is made on first use

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:memberdata_retentionpolicy_change", RetentionPolicy.current().pk)


@admin.action(description=_("Erase the personal data of the selected members"))
def erase_members(modeladmin, request, queryset):
    """The users' admin action: a confirmation page listing what goes, then the erasure."""
    if not request.user.is_superuser:
        modeladmin.message_user(
            request, gettext("Only administrators erase members."), messages.ERROR
        )
        return None
    staff = queryset.filter(is_staff=True)
    members = queryset.filter(is_staff=False, is_superuser=False)
    if request.POST.get("post") == "yes":
        for member in members:
            member_erase(member=member)
            modeladmin.log_change(request, member, "Erased the member's personal data")
        count = len(members)
        done = ngettext("Erased %d member.", "Erased %d members.", count) % count
        modeladmin.message_user(request, done, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Erase members' personal data"),
        "members": [_what_goes(member) for member in members],
        "staff": staff,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/memberdata/erase_confirmation.html", context)


def _what_goes(member) -> dict:
    return {
        "member": member,
        "tickets": member.tickets.count(),
        "screenshots": Screenshot.objects.filter(message__ticket__member=member).count(),
        "chats": members_chats(member).count(),
    }
