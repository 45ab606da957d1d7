"""``python manage.py export_places --region SLUG [--output FILE] [--format csv|geojson]``."""

import contextlib
import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from places import imports
from places.imports.export import export_geojson, export_rows


class Command(BaseCommand):
    help = (
        "Exportiert alle Orte einer Region (auch Entwürfe, jeweils der neueste Stand) im "
        "Import-Format mit der Seiten-ID (Spalte id), sodass ein erneuter Import – auch mit "
        "--publish – nichts verändert und nichts veröffentlicht."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="Kurzname der Region, z. B. altmark")
        parser.add_argument("--output", help="Zieldatei (sonst Standardausgabe)")
        parser.add_argument("--format", choices=("csv", "geojson"), default="csv")
        parser.add_argument(
            "--delimiter",
            choices=(",", ";"),
            default=",",
            help="Trennzeichen der CSV-Datei (; für ein deutsches Excel)",
        )

    def handle(self, *args, **options):
        region = imports.regions().filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"Region „{options['region']}“ gibt es nicht.")
        output = options["output"]
        # UTF-8 with BOM: a German Excel shows umlauts correctly; the import accepts it.
        if output:
            target = open(output, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        else:
            target = contextlib.nullcontext(sys.stdout)
        with target as handle:
            if options["format"] == "geojson":
                json.dump(export_geojson(region), handle, ensure_ascii=False, indent=1)
                handle.write("\n")
                count = None
            else:
                writer = csv.writer(handle, delimiter=options["delimiter"], lineterminator="\r\n")
                rows = list(export_rows(region))  # the header, then one row per place
                writer.writerows(rows)
                count = len(rows) - 1
        if output:
            what = f"{count} Orte" if count is not None else "Orte"
            self.stderr.write(f"{what} der Region „{region.title}“ nach {output} exportiert.")
