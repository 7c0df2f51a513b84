"""One archive holding the whole portal: a consistent copy of the database and every file
under MEDIA_ROOT (manage.py backup / restore; docs/operations.md, "Backups").

The archive is a tar: `backup.json` (what it is), `database.sqlite3` (SQLite's online backup
API: a consistent snapshot while the portal writes) or `database.pgdump` (pg_dump's custom
format: one transaction's snapshot), and `media/...`. The database is copied first and the
files second: a screenshot is written before the row that names it, so every row in the copy
finds its file in the archive.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "backup.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """What the commands report to the operator as a CommandError."""


def _database() -> dict:
    return settings.DATABASES["default"]


def _pg_args(program: str) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client's arguments and environment for the portal's database."""
    db = _database()
    args = [program, "--no-owner", "--no-privileges", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(_database()["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args("pg_dump")
        _run([*args, "--format=custom", "--file", str(target)], env)
    else:
        raise BackupError(f"no backup for the {connection.vendor} database")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup_write(*, path: Path) -> dict:
    """Write the archive to `path` (gzip-compressed when it ends in .gz); answer its manifest."""
    vendor, media = connection.vendor, Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMPS.get(vendor, "database")
        _dump_database(dump)
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(),
            "database": vendor,
            "media_files": len(files),
        }
        (Path(scratch) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = path.with_name(path.name + ".partial")
        # Every member's data is in it: readable by the portal's user only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        mode = "w:gz" if path.suffix == ".gz" else "w"
        with open(descriptor, "wb") as out, tarfile.open(fileobj=out, mode=mode) as archive:
            archive.add(Path(scratch) / MANIFEST, MANIFEST)
            archive.add(dump, dump.name)
            for file in files:
                archive.add(file, f"media/{file.relative_to(media).as_posix()}")
        partial.replace(path)  # never a half-written archive under the real name
    return manifest


def _our_tables() -> list[str]:
    return connection.introspection.table_names()


def _refuse_unless_empty() -> None:
    if _our_tables():
        raise BackupError("the database is not empty: restore only into a fresh one")
    if _media_files():
        raise BackupError(f"MEDIA_ROOT ({settings.MEDIA_ROOT}) is not empty")


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"the archive holds {member.name!r}: not a backup of this portal")
    return name


def _restore_database(dump: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            f"the archive holds a {vendor} database; this portal uses {connection.vendor}"
        )
    connection.close()
    if vendor == "sqlite":
        source, target = sqlite3.connect(dump), sqlite3.connect(_database()["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_args("pg_restore")
        _run([*args, "--exit-on-error", "--single-transaction", str(dump)], env)


def backup_restore(*, path: Path) -> dict:
    """Put the archive at `path` into this empty install; answer its manifest."""
    _refuse_unless_empty()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as scratch:
        members = {str(_safe_member(m)): m for m in archive.getmembers()}
        if MANIFEST not in members:
            raise BackupError("no backup.json: not a backup of this portal")
        manifest = json.load(archive.extractfile(members[MANIFEST]))
        if manifest.get("format") != FORMAT or manifest.get("database") not in DUMPS:
            raise BackupError(f"an archive of format {manifest.get('format')!r}: not known here")
        dump = Path(scratch) / DUMPS[manifest["database"]]
        with archive.extractfile(members[dump.name]) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target)
        _restore_database(dump, manifest["database"])
        for name, member in members.items():
            if name.startswith("media/") and member.isfile():
                target = media / PurePosixPath(name).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, open(target, "xb") as out:
                    shutil.copyfileobj(source, out)
    return manifest
