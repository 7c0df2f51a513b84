"""Run pytest on a throwaway PostgreSQL cluster: `python -m tests.on_postgres [pytest args]`.

`make test` runs the apps' own tests (the domain, views and consumers of portal, tickets and
livechat) this way too, after the whole suite has run on SQLite, so both engines pass them.
"""

import os
import subprocess
import sys

from tests.servers import PYTHON, ROOT, PostgreSQL


def main(args: list[str]) -> int:
    server = PostgreSQL().start()
    try:
        # pytest-django makes test_helpdesk (test_helpdesk_gwN under xdist) in the cluster.
        env = {**os.environ, "DATABASE_URL": server.url("helpdesk")}
        return subprocess.call([PYTHON, "-m", "pytest", *args], cwd=ROOT, env=env)
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
