from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty install: a database without "
        "tables (not even migrated) and an empty MEDIA_ROOT. Run `migrate` after it when the "
        "code is newer than the backup."
    )
    # The database is empty on purpose: the checks' queries would find no tables.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an archive written by `backup`")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {manifest['database']} database and {manifest['media_files']} "
            f"media files of {manifest['created']}."
        )
