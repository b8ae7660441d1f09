"""Department criteria per criteria set: bare codes become the same codes in each set before 2026.

A bare list such as ["2"] was written when every commune-level set numbered its 19 criteria the
same way (QĐ 491/2009, QĐ 1980/2016, QĐ 318/2022): "2" was Giao thông in all of them. QĐ 51/2025
renumbers its 10 criteria ("2" is Hạ tầng kinh tế - xã hội), so the old codes are not carried into
it: an administrator gives each department its QĐ 51 criteria (the users page lists those that
have none). The conversion is written out here, not imported, so this migration keeps meaning
what it meant whatever the app code becomes.
"""

from typing import Any

from django.db import migrations, models

SETS_TO_2025 = ("qd491-2009", "qd1980-2016", "qd318-2022")


def criteria_by_set(value: Any) -> dict[str, list[str]]:
    """A stored criteria value in the new form: a mapping is kept, a bare list is spread."""
    if isinstance(value, dict):
        return {str(k): [str(c) for c in v] for k, v in value.items()}
    codes = [str(c).strip() for c in (value or []) if str(c).strip()]
    if not codes:
        return {}
    return {set_id: list(codes) for set_id in SETS_TO_2025}


def bare_codes(value: Any) -> list[str]:
    """Back to a bare list: the codes of the sets before 2026 (QĐ 51 codes cannot go back)."""
    if not isinstance(value, dict):
        return list(value or [])
    codes: list[str] = []
    for set_id in SETS_TO_2025:
        codes += [c for c in value.get(set_id, []) if c not in codes]
    return codes


def forwards(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("accounts", "Membership")
    for m in Membership.objects.all().only("id", "criteria"):
        converted = criteria_by_set(m.criteria)
        if converted != m.criteria:
            Membership.objects.filter(pk=m.pk).update(criteria=converted)


def backwards(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("accounts", "Membership")
    for m in Membership.objects.all().only("id", "criteria"):
        Membership.objects.filter(pk=m.pk).update(criteria=bare_codes(m.criteria))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="criteria",
            field=models.JSONField(blank=True, default=dict, verbose_name="tiêu chí phụ trách"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
