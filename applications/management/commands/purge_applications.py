from django.conf import settings
from django.core.management.base import BaseCommand

from applications.privacy import purge


class Command(BaseCommand):
    help = (
        "Anonymisiert persönliche Daten übernommener und abgelehnter Bewerbungen nach der "
        "Aufbewahrungsfrist (täglich ausführen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.APPLICATIONS_RETENTION_DAYS,
            help="Aufbewahrungsfrist in Tagen (Standard: APPLICATIONS_RETENTION_DAYS).",
        )

    def handle(self, *args, **options):
        count = purge(options["days"])
        self.stdout.write(f"{count} Bewerbungen anonymisiert.")
