"""The browser session: kept in the database, read from the cache (SESSION_ENGINE)."""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("helpdesk.sessions")

# How long a session is read from the cache before the database is asked again. Short, so
# that a cache restored from an old snapshot (Redis' dump.rdb) cannot bring back for long
# a session signed out since; long enough that a page almost never queries the sessions.
CACHE_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    """Django's cached_db sessions, which every process shares through the default cache
    (Redis with REDIS_URL; the one process's memory otherwise): a page reads its session
    from the cache, the database only when the cache has none; a save writes the database,
    then the cache. A sign-out, or the new key at sign-in, deletes the cache's copy before
    the database's, so that a cache which cannot be reached fails the sign-out instead of
    leaving the old session readable."""

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # as Django's: a key the cache refuses reads the database
            data = None
        if data is None:
            stored = self._get_session_from_db()
            if stored is None:
                return {}
            data = self.decode(stored.session_data)
            self._keep(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create=False):
        super(cached_db.SessionStore, self).save(must_create)  # the database's save
        self._keep(self._session, self.get_expiry_age())

    def _keep(self, data: dict, expiry_age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(expiry_age, CACHE_SECONDS))
        except Exception:  # the database has it: the next page reads it there
            logger.exception("session not kept in the cache")

    def delete(self, session_key=None):
        key = session_key or self.session_key
        if key is not None:
            self._cache.delete(self.cache_key_prefix + key)
        super(cached_db.SessionStore, self).delete(session_key)


def session_key(request) -> str:
    """The browser session's key, made and saved now for a visitor who has none yet (so a
    redirect that follows finds the same session), with the cookie sent in this response."""
    if request.session.session_key is None:
        request.session.save()
    request.session.modified = True
    return request.session.session_key
