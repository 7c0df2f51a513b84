"""SQLite for the embedded profile, with its connections kept open between requests.

Under ASGI every request runs its sync code in a thread of its own, and with
CONN_MAX_AGE = 0 opens the database at its start (a file open and three PRAGMAs) and
closes it at its end; closing the last connection of a WAL database also checkpoints it.
Persistent connections (CONN_MAX_AGE = None) would leave one open connection per finished
thread (Django's docs advise against them under ASGI). Here a closed connection goes back
to a small process-wide pool instead, rolled back, and the next request takes it: no
churn, and never more open connections than requests at once (bench/page_overhead.py).
"""

import threading

from django.db.backends.sqlite3 import base

POOL_SIZE = 8  # idle connections kept; more at once are opened and closed as before


class DatabaseWrapper(base.DatabaseWrapper):
    _idle: dict[str, list] = {}  # by database file: a connection serves its own file only
    _lock = threading.Lock()

    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            with self._lock:
                if idle := self._idle.get(self._file()):
                    return idle.pop()
        return super().get_new_connection(conn_params)

    def _file(self) -> str:
        return str(self.settings_dict["NAME"])

    def _close(self):
        connection = self.connection
        if connection is None or self.is_in_memory_db():
            return super()._close()
        try:
            if connection.in_transaction:
                connection.rollback()
        except base.Database.Error:
            return super()._close()
        with self._lock:
            idle = self._idle.setdefault(self._file(), [])
            if len(idle) < POOL_SIZE:
                idle.append(connection)
                return None
        return super()._close()
