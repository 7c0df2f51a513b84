from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from portal.memberdata.admin import erase_members
from portal.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = _("member profile")
    fields = ["rank", "member_id", "preferred_language"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "rank", "member_id", "preferred_language"]
    list_filter = ["rank", "preferred_language"]
    search_fields = ["user__username", "user__email", "member_id"]
    list_select_related = ["user"]


admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "rank", "member_id", "is_staff", "is_active"]
    list_filter = ["profile__rank", "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "email", "first_name", "last_name", "profile__member_id"]
    list_select_related = ["profile"]
    actions = [erase_members]  # portal.memberdata: members' data requests

    @admin.display(description=_("rank"), ordering="profile__rank")
    def rank(self, user):
        return user.profile.get_rank_display()

    @admin.display(description=_("member ID"), ordering="profile__member_id")
    def member_id(self, user):
        return user.profile.member_id
