from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung zurück (make restore BACKUP=ordner): ersetzt den Inhalt der "
        "Datenbank und die Medienordner (die alten Ordner bleiben daneben liegen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Ordner einer Sicherung (mit manifest.json)")
        parser.add_argument("--yes", action="store_true", help="ohne Rückfrage")

    def handle(self, *args, **options):
        folder = Path(options["backup"])
        try:
            manifest = read_manifest(folder)
            self.stdout.write(f"Sicherung vom {manifest['created']}: {manifest['counts']}")
            if not options["yes"]:
                answer = input("Datenbank und Medien werden ersetzt. Fortfahren? [ja/N] ")
                if answer.strip().lower() not in {"j", "ja", "y", "yes"}:
                    raise CommandError("Abgebrochen.")
            restore_backup(folder)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Zurückgespielt."))
