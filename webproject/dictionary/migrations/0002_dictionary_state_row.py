"""The single DictionaryState row, so that edits only ever update it."""

import uuid

from django.db import migrations


def create_row(apps, schema_editor):
    DictionaryState = apps.get_model("dictionary", "DictionaryState")
    DictionaryState.objects.get_or_create(pk=1, defaults={"revision": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
