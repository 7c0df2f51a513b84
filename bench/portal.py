"""The portal under test: the production profile (DEBUG off, plain HTTP on loopback) with a
database of its own, served by one or more daphne processes with bench.settings.

    with Portal(processes=2, redis_url=redis.url) as portal:
        sessions = portal.seed("agents", "20")
"""

import shutil
import tempfile
from pathlib import Path

from tests.servers import Daphne, manage, portal_env, run_json

SECRET_KEY = "bench-not-a-secret-" + "b" * 40
# Chat benchmarks measure the portal, not its per-chat message limit.
UNLIMITED = {"DJANGO_LIVECHAT_RATE_MESSAGES": "1000000"}
# Collected once per run: every portal of the run serves the same static files.
_static_root: list[Path] = []


def static_root() -> Path:
    """A STATIC_ROOT collected once (DEBUG off serves hashed names from the manifest)."""
    if not _static_root:
        root = Path(tempfile.mkdtemp(prefix="helpdesk-bench-static-"))
        env = production_env(root, STATIC_ROOT=str(root))
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        _static_root.append(root)
    return _static_root[0]


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process of the production profile on plain HTTP, with
    bench.settings and its data in var_dir."""
    return portal_env(
        var_dir,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_HTTPS="false",
        **extra,
    )


class Portal:
    """A fresh portal: migrated database, `processes` daphne processes sharing it."""

    def __init__(self, *, processes=1, database_url="", redis_url="", **env: str):
        self.dir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
        extra = {"STATIC_ROOT": str(static_root())}
        if database_url:
            extra["DATABASE_URL"] = database_url
        if redis_url:
            extra["REDIS_URL"] = redis_url
        self.env = production_env(self.dir, **extra, **env)
        # bench/asgi.py: the portal, plus the fixed view under a cut middleware stack.
        self.daphnes = [
            Daphne(self.env, application="bench.asgi:application") for _ in range(processes)
        ]

    def __enter__(self) -> "Portal":
        try:
            manage(self.env, "migrate", "--noinput")
            for daphne in self.daphnes:
                daphne.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for daphne in self.daphnes:
            daphne.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def port(self) -> int:
        return self.daphnes[0].port

    def ws_url(self, path: str, process: int = 0) -> str:
        return f"ws://127.0.0.1:{self.daphnes[process % len(self.daphnes)].port}{path}"

    def pid(self, process: int = 0) -> int:
        return self.daphnes[process].process.pid

    def seed(self, *args: str):
        """Run `python -m bench.seed ARGS` against this portal's database; answer its JSON."""
        return self.python("bench.seed", *args)

    def python(self, module: str, *args: str):
        """Run `python -m MODULE ARGS` in this portal's environment; answer its JSON."""
        return run_json(self.env, module, *args)
