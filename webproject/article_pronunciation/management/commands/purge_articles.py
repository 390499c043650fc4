"""manage.py purge_articles --older-than DAYS: delete old articles (their permalinks stop working)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...models import Article


class Command(BaseCommand):
    help = "Delete the articles created more than DAYS days ago. Their permalinks then answer 404."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS",
                            help="delete articles created more than DAYS days ago (1 or more)")
        parser.add_argument("--dry-run", action="store_true", help="count them, delete nothing")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than takes a number of days, 1 or more")
        old = Article.objects.filter(created__lt=timezone.now() - timedelta(days=older_than))
        if dry_run:
            self.stdout.write(f"would delete {old.count()} articles older than {older_than} days")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"deleted {deleted} articles older than {older_than} days")
