from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="task_id",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
