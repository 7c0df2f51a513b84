from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive with a consistent copy of the database (SQLite's online backup, "
        "or pg_dump) and every file under MEDIA_ROOT, while the portal runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to write (.tar, or .tar.gz)")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_write(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {manifest['database']} database and "
            f"{manifest['media_files']} media files to {path}."
        )
