"""The sign-in backend, whose user comes with the member profile in one cheap query."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router

from portal import rows
from portal.models import Profile


class MemberBackend(ModelBackend):
    """Django's ModelBackend, reading a signed-in person's user and member profile in one
    query: every page asks for both (sign-in, the preferred language, the rank that opens
    Technical Issues). The query is built once per process: the ORM's building it again
    for every page cost more than the middleware stack around it (bench/page_overhead)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            # Stop here, refused: Django would ask ModelBackend next (listed after this one
            # for sessions made before, settings.AUTHENTICATION_BACKENDS), which checks the
            # same password the same way, hashing it a second time.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


FIELDS = (*User._meta.concrete_fields, *Profile._meta.concrete_fields)


@cache
def _statement(alias: str) -> tuple[str, list]:
    """The query, and the converters its columns need."""
    quote = connections[alias].ops.quote_name
    columns, converters = rows.selected(alias, FIELDS)
    user, profile = quote(User._meta.db_table), quote(Profile._meta.db_table)
    user_id = f"{user}.{quote(User._meta.pk.column)}"
    # Only the models' own table and column names, quoted; the id is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {user}"  # noqa: S608
        f" LEFT OUTER JOIN {profile} ON {profile}.{quote(Profile.user.field.column)} = {user_id}"
        f" WHERE {user_id} = %s"
    )
    return sql, converters


def user_with_profile(user_id) -> User | None:
    """The user of this id with `user.profile` read, as from
    `User.objects.select_related("profile").get(pk=user_id)`, or None."""
    alias = router.db_for_read(User)
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session holding a malformed id is a session of nobody
        return None
    sql, converters = _statement(alias)
    row = rows.fetch(alias, sql, [user_id], many=False)
    if row is None:
        return None
    row = rows.converted(alias, [row], converters)[0]
    split = len(User._meta.concrete_fields)
    user = User.from_db(alias, [f.attname for f in User._meta.concrete_fields], row[:split])
    profile = None
    if row[split] is not None:
        names = [f.attname for f in Profile._meta.concrete_fields]
        profile = Profile.from_db(alias, names, row[split:])
        Profile.user.field.set_cached_value(profile, user)
    User.profile.related.set_cached_value(user, profile)
    return user
