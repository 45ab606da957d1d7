import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from demo.loader import load_demo
from regions.models import RegionPage

# Loggers that report every single page save and background task at INFO level.
CHATTY_LOGGERS = ("wagtail", "django_tasks", "modelsearch")


@contextmanager
def quieter_logging(enabled: bool):
    loggers = [logging.getLogger(name) for name in CHATTY_LOGGERS] if enabled else []
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, previous, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Lädt Demo-Inhalte: Startseite, Inhaltsseiten (Impressum, Datenschutz …), die Regionen "
        "Altmark und Saale-Unstrut mit Beispielorten, Veranstaltungen und lokal erzeugten "
        "Illustrationen, dazu englische Übersetzungen einiger Seiten (unter /en/). Kann "
        "gefahrlos mehrfach ausgeführt werden; Vorhandenes bleibt "
        "unverändert, nur vergangene Demo-Veranstaltungen, die niemand bearbeitet hat, "
        "bekommen neue Termine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Keine Zusammenfassung ausgeben.")
        parser.add_argument(
            "--no-images",
            action="store_true",
            help="Keine Illustrationen erzeugen (schneller, z. B. für Tests).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nur laden, wenn es noch keine Region gibt (so nutzt es `make run`).",
        )

    def handle(self, *args, **options):
        verbosity = 0 if options["quiet"] else options["verbosity"]
        if options["if_empty"] and RegionPage.objects.exists():
            if verbosity:
                self.stdout.write("Es gibt schon Inhalte – Demo-Inhalte werden nicht geladen.")
            return
        started = time.monotonic()
        try:
            with quieter_logging(verbosity < 2):
                result = load_demo(with_images=not options["no_images"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        if verbosity == 0:
            return
        style = self.style.SUCCESS if result.created_anything else self.style.NOTICE
        self.stdout.write(style(result.summary()))
        if verbosity > 1:
            self.stdout.write(f"Dauer: {time.monotonic() - started:.1f} s")
