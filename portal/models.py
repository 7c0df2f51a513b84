from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Rank(models.IntegerChoices):
    """The company's member ranks, lowest first: the value orders them."""

    WELLNESS_ADVOCATE = 1, _("Wellness Advocate")
    MANAGER = 2, _("Manager")
    DIRECTOR = 3, _("Director")
    EXECUTIVE = 4, _("Executive")
    ELITE = 5, _("Elite")
    PREMIER = 6, _("Premier")
    SILVER = 7, _("Silver")
    GOLD = 8, _("Gold")
    PLATINUM = 9, _("Platinum")
    DIAMOND = 10, _("Diamond")
    BLUE_DIAMOND = 11, _("Blue Diamond")
    PRESIDENTIAL_DIAMOND = 12, _("Presidential Diamond")


class Profile(models.Model):
    """What the portal knows of a member beyond Django's user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), choices=Rank.choices, default=Rank.WELLNESS_ADVOCATE
    )
    member_id = models.CharField(_("member ID"), max_length=32, blank=True, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    # The admin's "{count} member profiles", in each language's plural forms.
    counted_as = ngettext_lazy("%(count)s member profile", "%(count)s member profiles", "count")

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return f"{self.user} ({self.get_rank_display()})"
