"""``manage.py onboard_region "Harz" [--slug harz] [--contact-email …] [--editors a@b,anna]
[--moderators c@d] [--translators e@f] [--draft]``."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from regions.onboarding import OnboardingError, login_url, onboard_region, password_reset_link

PEOPLE_HELP = (
    "E-Mail-Adressen oder Benutzernamen, durch Kommas getrennt. Vorhandene Konten kommen in "
    "die Gruppe; für neue E-Mail-Adressen entsteht ein Konto ohne Passwort."
)


class Command(BaseCommand):
    help = (
        "Nimmt eine Region auf: Regionsseite (veröffentlicht) und ihr englischer Entwurf, "
        "Gruppen „Redaktion …“, „Moderation …“ und „Übersetzung …“, Bildersammlung, Rechte "
        "und Freigabe-Workflow. Mehrfach ausführbar; ergänzt bei einer vorhandenen Region, "
        "was fehlt."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name der Region, z. B. „Harz“")
        parser.add_argument("--slug", help="Adresse der Regionsseite, z. B. harz")
        parser.add_argument("--contact-email", dest="contact_email", help="E-Mail der Region")
        parser.add_argument("--editors", default="", help=f"Redaktion: {PEOPLE_HELP}")
        parser.add_argument("--moderators", default="", help=f"Moderation: {PEOPLE_HELP}")
        parser.add_argument("--translators", default="", help=f"Übersetzung: {PEOPLE_HELP}")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Eine neue Regionsseite als Entwurf anlegen (sonst sofort veröffentlicht)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Veraltet, ist jetzt Standard: die Regionsseite veröffentlichen",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="Basisadresse für die Anmeldung und die Links zum Passwort-Setzen "
            "(Standard: WAGTAILADMIN_BASE_URL)",
        )

    def handle(self, *args, **options):
        if options["draft"] and options["publish"]:
            raise CommandError("--draft und --publish schließen sich aus.")
        with translation.override("de"):
            try:
                result = onboard_region(
                    options["name"],
                    slug=options["slug"],
                    contact_email=options["contact_email"],
                    editors=[options["editors"]],
                    moderators=[options["moderators"]],
                    translators=[options["translators"]],
                    publish=not options["draft"],
                )
            except OnboardingError as exc:
                raise CommandError(str(exc)) from exc
            self.report(result, (options["base_url"] or "").rstrip("/"))

    def report(self, result, base: str) -> None:
        write = self.stdout.write
        region = result.region
        _site, _root, path = region.get_url_parts() or (None, "", f"/{region.slug}/")
        public_url = f"{base}{path}"
        state = "neu angelegt" if result.region_created else "übernommen"
        write(f"Region „{region.title}“: Seite {state}.")
        if result.region.live:
            write(self.style.SUCCESS(f"Die Regionsseite ist veröffentlicht: {public_url}"))
        else:
            write(
                self.style.WARNING(
                    "Die Regionsseite ist ein ENTWURF und öffentlich noch nicht zu sehen. "
                    "Veröffentlichen: im Admin unter Seiten → "
                    f"„{region.title}“ → Veröffentlichen, oder diesen Befehl ohne --draft "
                    "erneut ausführen."
                )
            )
        if result.created:
            write("Angelegt bzw. ergänzt:")
            for line in result.created:
                write(f"  - {line}")
        else:
            write("Alles war schon vorhanden; nichts geändert.")
        write(
            f"Gruppen: „{result.editors_group.name}“, „{result.moderators_group.name}“, "
            f"„{result.translators_group.name}“; Sammlung: „{result.collection.name}“; "
            f"Workflow: „{result.workflow.name}“."
        )

        if result.people:
            write("Personen:")
        for person in result.people:
            user = person.user
            who = f"„{person.entry}“"
            if person.entry.lower() != user.username.lower():
                who += f" (Konto „{user.username}“)"
            if person.created:
                done = f"neues Konto ohne Passwort angelegt, in „{person.group.name}“"
            elif person.added:
                done = f"vorhandenes Konto, jetzt in „{person.group.name}“"
            else:
                done = f"war schon in „{person.group.name}“, nichts geändert"
            write(f"  - {who}: {done}.")
            if person.needs_password:
                link = password_reset_link(user, base)
                write(f"      Link zum Setzen des Passworts (nur an diese Person): {link}")

        edit_url = f"{base}{reverse('wagtailadmin_pages:edit', args=[region.pk])}"
        # Until when a reset link made now works.
        reset_valid = timezone.localtime() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        valid_until = date_format(reset_valid, "DATETIME_FORMAT")
        write("")
        write("Nächste Schritte:")
        steps = []
        if any(person.needs_password for person in result.people):
            steps.append(
                "Jeder Person ohne Passwort ihren Link oben schicken (gültig bis "
                f"{valid_until}; nur einmal verwendbar). Dort wählt sie ihr Passwort. Ist der "
                "Link abgelaufen: diesen Befehl mit ihrer Adresse erneut ausführen, er gibt "
                "einen neuen aus. („Passwort vergessen?“ auf der Anmeldeseite hilft erst, wenn "
                "einmal ein Passwort gesetzt ist.)"
            )
        steps.append(f"Anmelden unter {login_url(base)}")
        if not region.contact_email:
            steps.append(
                "E-Mail der Region eintragen (dorthin gehen Vorschläge aus /mitmachen/): "
                f"{edit_url} oder --contact-email"
            )
        steps.append(f"Einleitung und Titelbild der Regionsseite ergänzen: {edit_url}")
        steps.append(
            "Den ersten Ort anlegen: das Dashboard zeigt „Noch keine Orte – ersten Ort anlegen“ "
            f"({base}{reverse('wagtailadmin_home')}); eine vorhandene Liste importiert "
            f"„python manage.py import_places DATEI --region {region.slug} --dry-run“."
        )
        if not any(person.role == "moderator" for person in result.people):
            steps.append(
                "Wer Orte veröffentlichen soll, kommt in die Gruppe "
                f"„{result.moderators_group.name}“ (--moderators ADRESSE)."
            )
        for number, step in enumerate(steps, start=1):
            write(f"  {number}. {step}")
        write(self.style.SUCCESS("Fertig."))
