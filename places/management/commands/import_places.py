"""``python manage.py import_places FILE --region SLUG [--dry-run] [--publish] [--strict]``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from places import imports
from places.imports.readers import MAX_FILE_BYTES, MAX_ROWS
from places.imports.report import ImportFileError


class Command(BaseCommand):
    help = (
        "Importiert Orte aus einer CSV- oder GeoJSON-Datei in eine Region. Eine Zeile gehört "
        "zum Ort mit ihrer Seiten-ID (Spalte id, vom Export geschrieben), sonst mit ihrer "
        "external_id, sonst mit Titel und Gemeinde; verglichen wird mit dem neuesten Stand "
        "(Entwurf). Unveränderte Zeilen schreiben nichts und veröffentlichen nichts. Neue und "
        "geänderte Orte werden Entwürfe (außer mit --publish). Grenzen: "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB, {MAX_ROWS} Datensätze."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- oder GeoJSON-Datei")
        parser.add_argument("--region", required=True, help="Kurzname der Region, z. B. harz")
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur prüfen und berichten, nichts speichern"
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "Neue Orte und geänderte Zeilen von Orten, die online sind und keine "
                "ausstehenden Änderungen haben, sofort veröffentlichen. Nie veröffentlicht "
                "werden: unveränderte Zeilen, Orte, die offline genommen wurden, noch nie "
                "veröffentlichte Entwürfe, Orte in der Freigabe (Workflow) und Orte mit "
                "ausstehenden Änderungen der Redaktion – dort wird die Änderung als Entwurf "
                "gespeichert, der Bericht sagt warum. Erst mit --dry-run prüfen."
            ),
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Nichts speichern, sobald eine Zeile abgelehnt wird",
        )
        parser.add_argument("--user", help="Benutzername, dem die Revisionen zugeordnet werden")
        parser.add_argument(
            "--no-progress", action="store_true", help="Keinen Fortschrittsbalken zeigen"
        )

    def handle(self, *args, **options):
        regions = imports.regions()
        with translation.override("de"):
            region = regions.filter(slug=options["region"]).first()
            if region is None:
                slugs = ", ".join(regions.values_list("slug", flat=True)) or "–"
                raise CommandError(
                    f"Region „{options['region']}“ gibt es nicht. Vorhanden: {slugs}."
                )
            user = None
            if options["user"]:
                user = get_user_model().objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(f"Benutzer*in „{options['user']}“ gibt es nicht.")
            try:
                report = imports.run_import(
                    options["file"],
                    region,
                    dry_run=options["dry_run"],
                    publish=options["publish"],
                    strict=options["strict"],
                    user=user,
                    progress_stream=self.stderr._out,
                    show_progress=False if options["no_progress"] else None,
                )
            except ImportFileError as exc:
                raise CommandError(f"Datei abgelehnt, nichts gespeichert: {exc}") from exc
            for line in report.lines():
                self.stdout.write(line)
        if report.rejected:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.rejected)} Datensätze abgelehnt; bitte korrigieren und die "
                    "Datei erneut importieren (schon importierte Orte werden dabei aktualisiert, "
                    "nicht verdoppelt)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Fertig."))
