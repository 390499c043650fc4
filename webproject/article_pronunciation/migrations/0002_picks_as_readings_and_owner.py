"""Picks become the readings themselves, articles get an owner, and the romanised-words option.

Saved picks were reading numbers in the lexicon's order ({"0": 1}); they
become {"0": {"word": "我", "reading": "ngoo2"}}, worked out with the
lexicon and user dictionary of the day, so later changes to either can no
longer turn a saved reading into another.  Existing articles get no owner:
picks on them from anyone go to a copy.
"""

import re

from django.db import migrations, models


def numbers_to_readings(apps, schema_editor):
    import fastpron
    Article = apps.get_model("article_pronunciation", "Article")
    UserEntry = apps.get_model("dictionary", "UserEntry")
    annotator = fastpron.Annotator()
    entries = {}
    for key, readings, hidden in UserEntry.objects.values_list("key", "readings", "hidden"):
        parts = [r.strip() for r in re.split(r"[,;\n，；、]", readings or "") if r.strip()]
        entries[key] = None if hidden or not parts else parts
    try:
        if entries:
            annotator.update_user_dictionary(entries, replace=True)
    except (ValueError, TypeError):
        annotator = fastpron.Annotator()       # a bad row: convert with the lexicon alone
    for article in Article.objects.exclude(picks={}).iterator():
        numbers = {}
        for start, value in (article.picks or {}).items():
            if isinstance(value, dict):
                continue
            try:
                numbers[int(start)] = int(value)
            except (TypeError, ValueError):
                continue
        if not numbers:
            continue
        picks = {key: value for key, value in article.picks.items() if isinstance(value, dict)}
        for token in annotator.annotate(article.text, picks=numbers):
            if token.start in numbers and token.alternatives and numbers[token.start]:
                readings = annotator.lookup(token.text)
                if numbers[token.start] < len(readings):
                    picks[str(token.start)] = {"word": token.text, "reading": readings[numbers[token.start]]}
        article.picks = picks
        article.save(update_fields=["picks"])


class Migration(migrations.Migration):

    dependencies = [
        ("article_pronunciation", "0001_initial"),
        ("dictionary", "0002_dictionary_state_row"),
    ]

    operations = [
        migrations.AddField(
            model_name="article", name="owner",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="owner"),
        ),
        migrations.AddField(
            model_name="article", name="copied_from",
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name="copied from"),
        ),
        migrations.AddField(
            model_name="article", name="romanized",
            field=models.CharField(choices=[("keep", "leave them as typed"), ("convert", "write them in the chosen system")],
                                   default="keep", max_length=8, verbose_name="romanised words"),
        ),
        migrations.RunPython(numbers_to_readings, migrations.RunPython.noop),
    ]
