"""manage.py export_user_dictionary [FILE]: write the user dictionary as TSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...models import UserEntry
from ...tsv import format_entries


class Command(BaseCommand):
    help = "Export the user dictionary as TSV (the format import_user_dictionary reads) to FILE or standard output."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="the TSV file to write (default: standard output)")

    def handle(self, *args, file, **options):
        entries = UserEntry.objects.order_by("key")
        text = format_entries(entries)
        if file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(file, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except OSError as err:
            raise CommandError(f"cannot write {file}: {err.strerror}") from None
        self.stderr.write(f"exported {entries.count()} entries to {file}")
