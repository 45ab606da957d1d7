"""What an import found and did: the refusal of a file, each row's result, the report, progress."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class RowResult:
    number: int  # line in a CSV file, feature number in GeoJSON
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    action: str = ""  # create | update | unchanged | rejected
    page_id: int | None = None
    given_id: int | None = None  # the row's "id" (page id from an export)
    published: bool = False

    @property
    def title(self) -> str:
        return self.values.get("title", "")


ACTION_LABELS = {
    "create": "neu",
    "update": "geändert",
    "unchanged": "unverändert",
    "rejected": "abgelehnt",
}


@dataclass
class ImportReport:
    region: object
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False
    publish: bool = False
    strict: bool = False
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "rejected"]

    @property
    def flagged(self) -> list[RowResult]:
        return [row for row in self.rows if row.warnings and row.action != "rejected"]

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(action)} {label}" for action, label in ACTION_LABELS.items()
        )
        if self.dry_run:
            verb = "Probelauf, nichts gespeichert"
        elif not self.written:
            verb = "nichts gespeichert"
        elif self.publish:
            published = sum(1 for row in self.rows if row.published)
            verb = f"gespeichert, {published} veröffentlicht"
        else:
            verb = "als Entwürfe gespeichert"
        return f"{len(self.rows)} Datensätze: {counts} ({verb})."

    def _name(self, row: RowResult) -> str:
        label = "Objekt" if self.file_format == "GeoJSON" else "Zeile"
        return f"{label} {row.number}" + (f" „{row.title}“" if row.title else "")

    def lines(self) -> list[str]:
        lines = [
            f"Datei: {self.file_format}, Kodierung {self.encoding}"
            + (f", Trennzeichen „{self.delimiter}“" if self.delimiter else "")
            + f"; Region „{self.region.title}“."
        ]
        for row in self.rejected:
            lines.append(f"{self._name(row)}: abgelehnt – {'; '.join(row.errors)}")
        for row in self.flagged:
            lines.append(
                f"{self._name(row)} ({ACTION_LABELS[row.action]}): "
                f"Hinweis – {'; '.join(row.warnings)}"
            )
        if self.strict and self.rejected and not self.dry_run:
            lines.append("Strenger Modus: Weil Zeilen abgelehnt wurden, wurde nichts gespeichert.")
        lines.append(self.summary())
        return lines


def with_progress(items: list, label: str, stream=None, enabled: bool | None = None):
    """``items`` one by one, with a small progress bar on stderr (shown only on a terminal)."""
    stream = stream or sys.stderr
    if enabled is None:
        enabled = getattr(stream, "isatty", lambda: False)()
    total, shown = max(len(items), 1), -1
    for done, item in enumerate(items, start=1):
        yield item
        percent = 100 * done // total
        if enabled and percent != shown:
            shown = percent
            filled = percent * 30 // 100
            stream.write(
                f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d} % ({done}/{total})"
            )
            stream.flush()
    if enabled and shown >= 0:
        stream.write("\n")
        stream.flush()
