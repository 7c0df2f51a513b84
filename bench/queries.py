"""SQL queries per request: GET a path once per session with Django's test client inside a
portal's environment, counting the queries of each request (after one warm-up request).

    python -m bench.queries PATH SESSION...    (prints the counts as JSON)
"""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(path: str, session: str) -> int:
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(queries)


if __name__ == "__main__":
    path, *sessions = sys.argv[1:]
    print(json.dumps([count(path, session) for session in sessions]))
