import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Legt für die lokale Demo ein Admin-Konto mit einem zufälligen Passwort an und gibt "
        "es einmal aus. Nur im Demo-Modus (DEMO_MODE), nie in Produktion."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("create_demo_admin läuft nur mit DEMO_MODE=true (cms.settings.dev).")
        user_model = get_user_model()
        login_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Admin-Anmeldung: {login_url}  Benutzer: {DEMO_USERNAME}\n"
                "Das Passwort wurde beim ersten Start ausgegeben. Neues Passwort setzen mit:\n"
                f"  .venv/bin/python manage.py changepassword {DEMO_USERNAME}"
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(
            username=DEMO_USERNAME,
            email="admin@localhost",
            password=password,
            first_name="Demo",
            last_name="Redaktion",
        )
        created = "Demo-Admin angelegt (das Passwort wird nur dieses eine Mal gezeigt):"
        self.stdout.write(self.style.SUCCESS(created))
        self.stdout.write(
            f"  Adresse:  {login_url}\n  Benutzer: {DEMO_USERNAME}\n  Passwort: {password}"
        )
