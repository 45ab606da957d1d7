"""``python manage.py set_site_address [URL]``: the default Wagtail Site at the address the site
is served on (``SITE_URL``; ``make run`` sets it to ``http://HOST:PORT``)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.site import point_default_site_at, site_address


class Command(BaseCommand):
    help = (
        "Setzt Hostname und Port der Standard-Site auf die Adresse, unter der die Website "
        "läuft (SITE_URL, oder die angegebene Adresse). Kann gefahrlos mehrfach laufen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", nargs="?", help="Adresse wie https://kreativorte.example (Standard: SITE_URL)"
        )

    def handle(self, *args, **options):
        url = options["url"] or settings.SITE_URL
        try:
            hostname, port = site_address(url)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        site = point_default_site_at(url)
        if site is None:
            raise CommandError("Es gibt keine Standard-Site (erst `manage.py load_demo`).")
        if (site.hostname, site.port) != (hostname, port):
            raise CommandError(
                f"Eine andere Site hat schon {hostname}:{port}; die Standard-Site bleibt "
                f"{site.hostname}:{site.port}."
            )
        if options["verbosity"]:
            self.stdout.write(f"Standard-Site: {site.root_url}/")
