"""`user.membership` brings its unit in the same query (Membership's base manager selects it):
access decisions read the unit's level and code on every request. No schema change."""

import django.db.models.manager
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_criteria_per_set")]

    operations = [
        migrations.AlterModelOptions(
            name="membership",
            options={"base_manager_name": "with_unit", "verbose_name": "phân quyền"},
        ),
        migrations.AlterModelManagers(
            name="membership",
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("with_unit", django.db.models.manager.Manager()),
            ],
        ),
    ]
