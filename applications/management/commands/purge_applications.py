from django.conf import settings
from django.core.management.base import BaseCommand

from applications.privacy import purge


class Command(BaseCommand):
    help = (
        "Anonymisiert persönliche Daten übernommener und abgelehnter Bewerbungen nach der "
        "Aufbewahrungsfrist und offener Bewerbungen, die lange niemand bearbeitet hat "
        "(täglich ausführen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.APPLICATIONS_RETENTION_DAYS,
            help="Aufbewahrungsfrist in Tagen (Standard: APPLICATIONS_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--stale-days",
            type=int,
            default=settings.APPLICATIONS_STALE_DAYS,
            help=(
                "Offene Bewerbungen, die so viele Tage unverändert sind, gelten als aufgegeben "
                "(Standard: APPLICATIONS_STALE_DAYS)."
            ),
        )

    def handle(self, *args, **options):
        count = purge(options["days"], options["stale_days"])
        self.stdout.write(f"{count} Bewerbungen anonymisiert.")
