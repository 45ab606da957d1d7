"""Update the project's gettext catalogues (docs/website.md, „Sprachen / Übersetzungen“).

    .venv/bin/python scripts/messages.py           # after changing a visible string
    .venv/bin/python scripts/messages.py --check   # only report, change nothing (exit 1)

1. ``makemessages -l en``: every msgid of the project's templates and Python code into
   ``locale/en/LC_MESSAGES/django.po`` (translations of unchanged msgids are kept, removed
   msgids are dropped). Then write the English of the new ones into that file.
2. ``locale/de/LC_MESSAGES/django.po`` is not made by makemessages: its upper part corrects
   Wagtail's German admin wording with Wagtail's English msgids, which makemessages would mark
   obsolete. Only its last section, below ``PUBLIC_MARKER``, is written here: the public
   templates' msgids with msgstr = msgid. The German text is the msgid; repeating it keeps
   another catalogue's German for a msgid spelt the same (Wagtail's "Status", "Region") from
   ever changing the German site.
3. Both ``.mo`` files are compiled (``msgfmt --check-format``) and committed with their
   ``.po``: no compilemessages runs in ``make run``, CI or the image.

Needs GNU gettext (``apt-get install gettext``).
"""

import argparse
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import django
from django.core.management import call_command
from django.core.management.commands.makemessages import Command as MakeMessages

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE = BASE_DIR / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
DE_PO = LOCALE / "de" / "LC_MESSAGES" / "django.po"
PUBLIC_TEMPLATES = "frontend_templates/"
PUBLIC_MARKER = "# --- The public site's templates (written by scripts/messages.py) ---"
# Not part of what visitors or editors see; makemessages would read them all otherwise.
IGNORED = [
    "build",
    "bench",
    "demo",
    "docs",
    "scripts",
    "tests",
    "*/tests/*",
    "kreativorte.egg-info",
]


class MakeMessagesExactly(MakeMessages):
    # msgmerge would guess a translation for a new msgid from a similar one („zweiten“ →
    # "Pages") and mark it fuzzy: junk to clean up by hand. New msgids start empty.
    msgmerge_options = [*MakeMessages.msgmerge_options, "--no-fuzzy-matching"]


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: ``msgid``, ``msgid_plural``, ``msgstr`` or ``msgstr[n]``,
    ``flags`` and ``refs`` (the ``#:`` locations); obsolete (``#~``) entries are left out."""
    entries, entry, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry and not entry.get("obsolete"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": set(), "refs": []}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            entry["refs"].extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    return entries


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


def public_section(en_entries: list[dict]) -> str:
    """The de catalogue's last section: every public template msgid, msgstr = msgid."""
    lines = [PUBLIC_MARKER]
    for entry in en_entries:
        if not entry["msgid"] or not any(ref.startswith(PUBLIC_TEMPLATES) for ref in entry["refs"]):
            continue
        lines.append("")
        if "python-format" in entry["flags"]:
            lines.append("#, python-format")
        lines.append(f"msgid {quote(entry['msgid'])}")
        if "msgid_plural" in entry:
            lines.append(f"msgid_plural {quote(entry['msgid_plural'])}")
            lines.append(f"msgstr[0] {quote(entry['msgid'])}")
            lines.append(f"msgstr[1] {quote(entry['msgid_plural'])}")
        else:
            lines.append(f"msgstr {quote(entry['msgid'])}")
    return "\n".join(lines) + "\n"


def with_public_section(de_text: str, section: str) -> str:
    head = de_text.split(PUBLIC_MARKER)[0].rstrip("\n")
    return f"{head}\n\n{section}"


def untranslated(entries: list[dict]) -> list[str]:
    """The public templates' msgids without an English translation."""
    missing = []
    for entry in entries:
        if not entry["msgid"] or not any(ref.startswith(PUBLIC_TEMPLATES) for ref in entry["refs"]):
            continue
        strings = [value for key, value in entry.items() if key.startswith("msgstr")]
        if "fuzzy" in entry["flags"] or not strings or not all(strings):
            missing.append(entry["msgid"])
    return missing


def compile_catalogue(po: Path) -> None:
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report only, change nothing")
    args = parser.parse_args()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    if not args.check:
        call_command(
            MakeMessagesExactly(),
            locale=["en"],
            ignore_patterns=IGNORED,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
        )
        # makemessages stamps the time into the header: a new diff on every run otherwise.
        EN_PO.write_text(
            re.sub(
                r'^"(POT-Creation-Date|Report-Msgid-Bugs-To): .*\n',
                "",
                EN_PO.read_text(),
                flags=re.M,
            ),
            encoding="utf-8",
        )
    en_entries = parse_po(EN_PO)
    de_text = DE_PO.read_text(encoding="utf-8")
    new_de = with_public_section(de_text, public_section(en_entries))
    missing = untranslated(en_entries)
    if args.check:
        stale = new_de != de_text
        if stale:
            print("locale/de: the public section is not up to date.")
        for msgid in missing:
            print(f"locale/en: no English for {msgid!r}")
        return 1 if stale or missing else 0
    DE_PO.write_text(new_de, encoding="utf-8")
    compile_catalogue(DE_PO)
    compile_catalogue(EN_PO)
    for msgid in missing:
        print(
            f"locale/en: no English yet for {msgid!r} (write it into {EN_PO.relative_to(BASE_DIR)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
