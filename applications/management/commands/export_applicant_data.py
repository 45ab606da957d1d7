import json

from django.core.management.base import BaseCommand

from applications.privacy import applicant_data


class Command(BaseCommand):
    help = (
        "Gibt alle zu einer E-Mail-Adresse gespeicherten Bewerbungsdaten als JSON aus "
        "(Art. 15 DSGVO)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse der Person")

    def handle(self, *args, **options):
        data = {"email": options["email"], "bewerbungen": applicant_data(options["email"])}
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
