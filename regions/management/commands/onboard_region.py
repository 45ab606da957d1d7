"""``manage.py onboard_region "Harz" [--slug harz] [--contact-email …] [--editors a@b,c@d]``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from regions.onboarding import OnboardingError, onboard_region, password_reset_link


class Command(BaseCommand):
    help = (
        "Nimmt eine Region auf: Regionsseite, Gruppen „Redaktion …“ und „Moderation …“, "
        "Bildersammlung, Rechte und Freigabe-Workflow. Mehrfach ausführbar."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name der Region, z. B. „Harz“")
        parser.add_argument("--slug", help="Adresse der Regionsseite, z. B. harz")
        parser.add_argument("--contact-email", dest="contact_email", help="E-Mail der Region")
        parser.add_argument(
            "--editors",
            default="",
            help="E-Mail-Adressen der Redakteur*innen, durch Kommas getrennt",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Eine neu angelegte Regionsseite sofort veröffentlichen (sonst Entwurf)",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="Basisadresse für die Links zum Passwort-Setzen",
        )

    def handle(self, *args, **options):
        with translation.override("de"):
            try:
                result = onboard_region(
                    options["name"],
                    slug=options["slug"],
                    contact_email=options["contact_email"],
                    editors=[options["editors"]],
                    publish=options["publish"],
                )
            except OnboardingError as exc:
                raise CommandError(str(exc)) from exc

        region = result.region
        state = "neu angelegt" if result.region_created else "übernommen"
        self.stdout.write(f"Region „{region.title}“ (/{region.slug}/): Seite {state}.")
        if result.created:
            self.stdout.write("Angelegt bzw. ergänzt:")
            for line in result.created:
                self.stdout.write(f"  - {line}")
        else:
            self.stdout.write("Alles war schon vorhanden; nichts geändert.")
        self.stdout.write(
            f"Gruppen: „{result.editors_group.name}“, „{result.moderators_group.name}“; "
            f"Sammlung: „{result.collection.name}“; Workflow: „{result.workflow.name}“."
        )
        for user in result.users_added:
            self.stdout.write(f"„{user.email}“ ist jetzt in „{result.editors_group.name}“.")
        for user in result.users_created:
            link = password_reset_link(user, options["base_url"])
            self.stdout.write(
                f"Neues Konto „{user.username}“ ohne Passwort. Einmal-Link zum Setzen des "
                f"Passworts (nur an diese Person weitergeben): {link}"
            )
        self.stdout.write(self.style.SUCCESS("Fertig."))
