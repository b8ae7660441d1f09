"""Load the capital sources (data/capital_sources.yaml) so that every database has them."""

from pathlib import Path

import yaml
from django.db import migrations

SOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "capital_sources.yaml"


def load(apps, schema_editor):
    CapitalSource = apps.get_model("finance", "CapitalSource")
    by_code = {}
    for row in yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8")):
        source, _ = CapitalSource.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "order": row.get("order", 0),
                "parent": by_code.get(row.get("parent", "")),
            },
        )
        by_code[source.code] = source


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
