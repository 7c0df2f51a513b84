"""The sign-in backend, whose user comes with the member profile in one cheap query."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router

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


MODELS = (User, Profile)


@cache
def _statement(alias: str) -> tuple[str, list]:
    """The query, and the converters each column needs (SQLite answers dates as text).
    The backend's converters are kept unbound: each thread has a connection of its own."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns, converters = [], []
    for meta in (model._meta for model in MODELS):
        for field in meta.concrete_fields:
            columns.append(f"{quote(meta.db_table)}.{quote(field.column)}")
            column = field.get_col(meta.db_table)
            for convert in connection.ops.get_db_converters(column):
                converters.append((len(columns) - 1, convert.__func__, column, True))
            for convert in field.get_db_converters(connection):
                converters.append((len(columns) - 1, convert, column, False))
    user, profile = User._meta, Profile._meta
    user_id = f"{quote(user.db_table)}.{quote(user.pk.column)}"
    # Only the models' own table and column names, quoted; the id is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(user.db_table)}"  # noqa: S608
        f" LEFT OUTER JOIN {quote(profile.db_table)}"
        f" ON {quote(profile.db_table)}.{quote(Profile.user.field.column)} = {user_id}"
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
    connection = connections[alias]
    sql, converters = _statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, convert, column, of_backend in converters:
        value = (connection.ops, row[index]) if of_backend else (row[index],)
        row[index] = convert(*value, column, connection)
    split = len(User._meta.concrete_fields)
    user = User.from_db(alias, [f.attname for f in User._meta.concrete_fields], row[:split])
    profile = None
    if row[split] is not None:
        names = [f.attname for f in Profile._meta.concrete_fields]
        profile = Profile.from_db(alias, names, row[split:])
        Profile.user.field.set_cached_value(profile, user)
    User.profile.related.set_cached_value(user, profile)
    return user
