from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Sichert Datenbank, Medien und Bewerbungsfotos in einen Ordner (make backup)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Zielordner (Standard: backups)")

    def handle(self, *args, **options):
        try:
            folder = create_backup(Path(options["output"]))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sicherung geschrieben: {folder}"))
