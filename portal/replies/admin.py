from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.access import agents
from portal.replies.models import CannedReply


class SharingFilter(admin.SimpleListFilter):
    title = _("shared or personal")
    parameter_name = "sharing"

    def lookups(self, request, model_admin):
        return [("shared", _("Shared")), ("mine", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "shared":
            return queryset.filter(owner__isnull=True)
        if self.value() == "mine":
            return queryset.filter(owner=request.user)
        return queryset


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """The team's library of replies. An agent sees and edits the shared ones and their
    own; an administrator sees every agent's."""

    list_display = ["title", "shortcut", "sharing", "uses"]
    list_filter = [SharingFilter]
    search_fields = ["title", "shortcut", "body_en", "body_pl"]
    list_select_related = ["owner"]
    fields = ["title", "shortcut", "body_en", "body_pl", "owner", "uses"]
    readonly_fields = ["uses"]

    @admin.display(description=_("shared or personal"), ordering="owner")
    def sharing(self, reply):
        return reply.owner.get_username() if reply.owner else _("Shared")

    def get_queryset(self, request):
        replies = super().get_queryset(request)
        return replies if request.user.is_superuser else replies.for_agent(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            # An agent keeps a reply shared or makes it their own, never another's.
            people = agents() if request.user.is_superuser else agents().filter(pk=request.user.pk)
            kwargs["queryset"] = people
            kwargs["empty_label"] = _("Shared (every agent)")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
