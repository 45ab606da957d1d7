from django.core.management.base import BaseCommand

from applications.emails import send_pending_mails


class Command(BaseCommand):
    help = (
        "Sendet E-Mails zu Bewerbungen, deren Versand fehlgeschlagen ist, erneut "
        "(alle paar Minuten per cron/systemd-Timer ausführen)."
    )

    def handle(self, *args, **options):
        sent, failed = send_pending_mails()
        self.stdout.write(
            f"E-Mails zu Bewerbungen: {sent} gesendet, {failed} weiterhin fehlgeschlagen."
        )
        if failed:
            self.stderr.write("Einige E-Mails konnten nicht gesendet werden; siehe Protokoll.")
