"""manage.py import_user_dictionary FILE: load user-dictionary entries from TSV."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ...models import DictionaryState, UserEntry, check_entry
from ...tsv import TSVError, parse


class Command(BaseCommand):
    help = ("Import user-dictionary entries from a TSV file (word<TAB>reading, one reading a line, "
            "'-' to hide a word). A word in the file replaces that word's entry; --replace also "
            "removes the words the file lacks. Nothing is written if any line is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the TSV file, or - for standard input")
        parser.add_argument("--replace", action="store_true",
                            help="make the user dictionary exactly the file's entries")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, file, replace, dry_run, **options):
        try:
            if file == "-":
                text = sys.stdin.buffer.read().decode("utf-8-sig")
            else:
                with open(file, "rb") as f:
                    text = f.read().decode("utf-8-sig")
        except OSError as err:
            raise CommandError(f"cannot read {file}: {err.strerror}") from None
        except UnicodeDecodeError as err:
            raise CommandError(f"{file} is not UTF-8 text (byte {err.start}); save it as UTF-8") from None
        try:
            entries = parse(text.splitlines(), check_entry)
        except TSVError as err:
            raise CommandError(f"{file}: {len(err.errors)} problem(s), nothing imported:\n" + str(err)) from None

        with transaction.atomic():
            existing = {entry.key: entry for entry in UserEntry.objects.select_for_update()}
            now = timezone.now()
            created, updated = [], []
            for key, parsed in entries.items():
                values = {"readings": ", ".join(parsed.readings), "hidden": parsed.hidden,
                          "note": parsed.note or (existing[key].note if key in existing else "")}
                if key in existing:
                    entry = existing[key]
                    for name, value in values.items():
                        setattr(entry, name, value)
                    entry.updated = now
                    updated.append(entry)
                else:
                    created.append(UserEntry(key=key, updated=now, **values))
            removed = [key for key in existing if key not in entries] if replace else []
            if dry_run:
                transaction.set_rollback(True)
            else:
                UserEntry.objects.bulk_create(created, batch_size=500)
                UserEntry.objects.bulk_update(updated, ["readings", "hidden", "note", "updated"], batch_size=500)
                if removed:
                    UserEntry.objects.filter(key__in=removed).delete()
                DictionaryState.bump()
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb} {len(entries)} entries: {len(created)} new, {len(updated)} changed, "
                          f"{len(removed)} removed")
