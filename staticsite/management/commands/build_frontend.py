"""``manage.py build_frontend --output DIR``: the whole public site as static files."""

import sys

from django.core.management.base import BaseCommand, CommandError

from staticsite.builder import BuildConfig, full_build
from staticsite.changes import build_changed, build_dates
from staticsite.incremental import incremental_build
from staticsite.output import BuildError


class Command(BaseCommand):
    help = (
        "Schreibt die öffentliche Website als statische Dateien nach DIR (vollständig, oder "
        "mit --changed nur, was sich seit dem letzten Bau geändert hat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Ausgabeordner (sonst STATICSITE_OUTPUT)")
        parser.add_argument(
            "--base-url",
            help="Öffentliche Adresse der statischen Website, z. B. https://www.example.org/ "
            "oder https://example.org/kreativorte/ (sonst STATICSITE_BASE_URL)",
        )
        parser.add_argument(
            "--app-url",
            help="Adresse des Anwendungsservers für das Formular /mitmachen/ "
            "(sonst STATICSITE_APP_URL, dann WAGTAILADMIN_BASE_URL)",
        )
        parser.add_argument("--workers", type=int, help="Render-Prozesse (Standard: 2)")
        parser.add_argument(
            "--changed",
            action="store_true",
            help="Nur die seit dem letzten Bau geänderten Seiten (ausstehende Änderungen)",
        )
        parser.add_argument(
            "--watch",
            type=float,
            metavar="SEKUNDEN",
            help="Mit --changed: als Dienst laufen und alle SEKUNDEN ausstehende Änderungen bauen",
        )
        parser.add_argument(
            "--dates",
            action="store_true",
            help="Nur neu bauen, was Termine zeigt (nächtlich kurz nach Mitternacht: "
            "vergangene Termine verschwinden ohne Veröffentlichen)",
        )
        parser.add_argument(
            "--path",
            action="append",
            default=[],
            help="Nur diese Pfade (und ihre Filter-Varianten) neu bauen; mehrfach möglich",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch einen nicht leeren Ausgabeordner ersetzen, der nicht von einem Bau "
            "stammt (sein bisheriger Inhalt wird neben ihn verschoben, nicht gelöscht)",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="Fortschrittsbalken auch ohne Terminal zeigen",
        )

    def handle(self, *args, **options):
        progress = options["progress"]
        if progress is None:
            progress = sys.stderr.isatty() and options["verbosity"] > 0
        try:
            config = BuildConfig.from_settings(
                output=options["output"],
                base_url=options["base_url"],
                app_url=options["app_url"],
                workers=options["workers"],
                progress=progress,
                force=options["force"],
            )
            if options["changed"] and options["watch"]:
                self._watch(config, options["watch"])
                return
            if options["changed"]:
                summary = build_changed(config)
                if summary is None:
                    self.stdout.write("Keine ausstehenden Änderungen.")
                    return
            elif options["dates"]:
                summary = build_dates(config)
            elif options["path"]:
                summary = incremental_build(config, set(options["path"]))
            else:
                summary = full_build(config)
        except Exception as exc:
            reason = exc if isinstance(exc, BuildError) else f"{type(exc).__name__}: {exc}"
            raise CommandError(f"Bau abgebrochen, vorherige Ausgabe unverändert: {reason}") from exc
        self._report(summary, config)

    def _report(self, summary, config):
        self.stdout.write(f"Fertig: {summary.line()} → {config.output}")
        for key in sorted(set(summary.not_found)):
            self.stderr.write(f"Warnung: verlinkt, aber nicht vorhanden (404): {key}")
        for message in summary.skipped:
            self.stderr.write(f"Warnung: {message}")
        if summary.kept:
            self.stderr.write(f"Bisheriger Inhalt des Ordners verschoben nach {summary.kept}")

    def _watch(self, config, seconds: float) -> None:
        """A worker without extra infrastructure: the pending paths are the queue. A failed
        build is logged and retried on the next round (the paths stay pending)."""
        import time

        from django.db import close_old_connections

        self.stdout.write(f"Warte auf Änderungen (alle {seconds:g} s) … Beenden mit Strg+C.")
        try:
            while True:
                close_old_connections()
                try:
                    summary = build_changed(config)
                except Exception as exc:  # keep serving; the paths stay pending
                    self.stderr.write(f"Bau fehlgeschlagen, neuer Versuch folgt: {exc}")
                else:
                    if summary is not None:
                        self._report(summary, config)
                time.sleep(seconds)
        except KeyboardInterrupt:
            self.stdout.write("Beendet.")
