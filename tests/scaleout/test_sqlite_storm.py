"""F6: many processes and threads writing to the embedded profile's SQLite at once, for a
bounded time: no "database is locked", and no update lost."""

import json
import subprocess
import sys

from tests.servers import ROOT, manage, portal_env, shell

PROCESSES, THREADS, SECONDS = 6, 3, 4

WRITER = """
import json, sys, threading, time
import django
django.setup()
from django.contrib.auth.models import User
from django.db import connection, transaction
from portal.models import Profile

done, errors = [], []

def write(name):
    ops, deadline = 0, time.monotonic() + float(sys.argv[1])
    try:
        while time.monotonic() < deadline:
            # Read, then write in one transaction: the pattern SQLite fails at once on
            # unless transactions are IMMEDIATE (a deferred one cannot upgrade its read lock while
            # another writer holds the database, and the busy timeout does not apply).
            with transaction.atomic():
                profile = Profile.objects.get(user__username="counter")
                profile.member_id = str(int(profile.member_id) + 1)
                profile.save(update_fields=["member_id"])
            User.objects.create_user(f"{name}-{ops}")
            ops += 1
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
    done.append(ops)

names = [f"{sys.argv[2]}-{i}" for i in range(int(sys.argv[3]))]
threads = [threading.Thread(target=write, args=(name,)) for name in names]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps({"ops": sum(done), "errors": errors}))
"""

USERS = "from django.contrib.auth.models import User; "
COUNTER = USERS + "p = User.objects.create_user('counter').profile; p.member_id = '0'; p.save()"
COUNTED = (
    USERS + "print(User.objects.get(username='counter').profile.member_id, User.objects.count())"
)


def writer(env, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(SECONDS), name, str(THREADS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_write_storm_on_sqlite_never_finds_the_database_locked(tmp_path):
    env = portal_env(tmp_path)
    manage(env, "migrate", "--noinput")
    shell(env, COUNTER)
    writers = [writer(env, f"w{i}") for i in range(PROCESSES)]
    reports = [json.loads(w.communicate(timeout=120)[0]) for w in writers]
    assert [report["errors"] for report in reports] == [[]] * PROCESSES
    ops = sum(report["ops"] for report in reports)
    assert shell(env, COUNTED).split() == [str(ops), str(ops + 1)]
    print(f"F6: {PROCESSES * THREADS} writers, {ops} transactions in {SECONDS} s, none locked")
