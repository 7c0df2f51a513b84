"""Where an idle member socket's memory goes: bench/idle_sockets.py's load, with
tracemalloc and a count of objects by type inside the daphne process.

    python -m bench.memprobe [COUNT] [FRAMES]

Starts the bench portal with PYTHONTRACEMALLOC=FRAMES (default 8) and this module as its
ASGI application (the bench application, plus a SIGUSR1 handler that writes a tracemalloc
snapshot and the live objects by type). Opens one warm-up socket, takes the first
snapshot, opens COUNT more (default 1,000), takes the second, and prints the growth per
socket grouped by traceback and by innermost frame, and the objects per socket. The
resident memory it prints means something only with FRAMES=0 (tracing holds its own
memory); a measuring tool, not a benchmark: bench/idle_sockets.py is the figure.
"""

import gc
import os
import pickle
import signal
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

DUMP = os.environ.get("MEMPROBE_DUMP", "")
ROOT = Path(__file__).resolve().parent.parent


def _dump(signum, frame):
    gc.collect()
    types = Counter(type(o).__qualname__ for o in gc.get_objects())
    snapshot = tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None
    number = len(list(Path(DUMP).glob("snap-*")))  # the parent waits for each one
    with open(Path(DUMP) / f"part-{number}", "wb") as out:
        pickle.dump((snapshot, types), out)
    os.rename(Path(DUMP) / f"part-{number}", Path(DUMP) / f"snap-{number}")


if DUMP:
    from bench.asgi import application  # noqa: F401

    signal.signal(signal.SIGUSR1, _dump)


def _snapshot(pid: int, dump: Path, number: int):
    os.kill(pid, signal.SIGUSR1)
    path = dump / f"snap-{number}"
    for _ in range(600):
        if path.exists():
            with open(path, "rb") as f:
                return pickle.load(f)  # noqa: S301 (written by the daphne we started)
        time.sleep(0.2)
    raise TimeoutError("no snapshot")


def _innermost(trace: tracemalloc.Traceback, library: bool) -> str:
    """The innermost frame of the repository's code (library False) or of any code but
    the standard library's (library True). A traceback runs from the oldest frame."""
    for frame in reversed(trace):
        name = frame.filename
        if "/lib/python3" in name and "site-packages" not in name:
            continue
        if library or "site-packages" not in name:
            return f"{name.split('site-packages/')[-1].split(str(ROOT) + '/')[-1]}:{frame.lineno}"
    return "(none)"


def report(before, after, count: int, top=30) -> None:
    (snap_a, types_a), (snap_b, types_b) = before, after
    diff = snap_b.compare_to(snap_a, "traceback")
    total = sum(d.size_diff for d in diff)
    print(f"traced growth: {total / 1024 / count:.2f} KB per socket")
    print(f"\n== top {top} tracebacks, bytes per socket ==")
    for d in diff[:top]:
        print(f"{d.size_diff / count:8.0f} B {d.count_diff / count:6.2f} blocks")
        for line in d.traceback.format(most_recent_first=True)[:12]:
            print("      " + line.strip())
    by_own, by_line, by_file = Counter(), Counter(), Counter()
    for d in diff:
        by_own[_innermost(d.traceback, library=False)] += d.size_diff
        line = _innermost(d.traceback, library=True)
        by_line[line] += d.size_diff
        by_file[line.split(":")[0]] += d.size_diff
    for title, counter in (
        ("innermost repository frame", by_own),
        ("innermost non-stdlib file", by_file),
        ("innermost non-stdlib line", by_line),
    ):
        print(f"\n== by {title}, bytes per socket ==")
        for where, size in counter.most_common(30):
            print(f"{size / count:8.0f} B  {where}")
    print("\n== objects per socket, by type ==")
    grown = Counter({t: types_b[t] - types_a.get(t, 0) for t in types_b})
    for name, n in grown.most_common(40):
        if n / count >= 0.5:
            print(f"{n / count:7.2f}  {name}")


def main(count=1_000, frames=8) -> None:
    import tempfile

    from bench.clients import Clients, split
    from bench.conversations import End
    from bench.idle_sockets import CLIENT_PROCESSES, ENV, _hold
    from bench.measure import raise_open_files_limit, rss_mb
    from bench.portal import Portal

    raise_open_files_limit()
    dump = Path(tempfile.mkdtemp(prefix="memprobe-"))
    env = dict(ENV, PYTHONTRACEMALLOC=str(frames), MEMPROBE_DUMP=str(dump))
    if frames == 0:
        del env["PYTHONTRACEMALLOC"]
    portal = Portal(**env)
    portal.daphnes[0].application = "bench.memprobe:application"
    # tracemalloc slows the handshake down: give it time (memory unchanged).
    portal.daphnes[0].args = ["--websocket_connect_timeout", "300"]
    with portal:
        pid = portal.pid()
        chats = portal.seed("chats", str(count + 1))
        ends = [End(portal.ws_url(f"/ws/chat/{c}/"), s, hello=True) for c, s in chats]
        with Clients(_hold, [ends[:1]]) as clients:
            clients.together.wait_ready()
        before = _snapshot(pid, dump, 0)
        rss_before = rss_mb(pid)
        with Clients(_hold, split(ends[1:], CLIENT_PROCESSES), timeout=600) as clients:
            clients.together.wait_ready(timeout=600)
            time.sleep(2)
            rss_during = rss_mb(pid)
            after = _snapshot(pid, dump, 1)
    print(f"RSS growth: {(rss_during - rss_before) * 1024 / count:.2f} KB per socket")
    if before[0] is None:  # FRAMES=0: the objects by type only
        empty = tracemalloc.Snapshot([], 1)
        before, after = (empty, before[1]), (empty, after[1])
    report(before, after, count)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
