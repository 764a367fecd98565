"""rows_total keeps the file's rows; rows_to_apply counts the apply step. Row errors are
stored as a code plus parameters (rendered in the reader's language); their old text stays
as the fallback message."""

from django.db import migrations, models
from django.db.models import F


def count_rows_apart(apps, schema_editor):
    # A confirmed job's rows_total held the rows to apply; the file's rows are its counts.
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportJob.objects.filter(confirmed_at__isnull=False).update(
        rows_to_apply=F("rows_total"),
        rows_total=F("to_create")
        + F("to_update")
        + F("to_close")
        + F("unchanged_count")
        + F("error_count"),
    )


def count_rows_together(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportJob.objects.filter(confirmed_at__isnull=False).update(rows_total=F("rows_to_apply"))


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_import_jobs_and_row_errors")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="rows_to_apply",
            field=models.PositiveIntegerField(default=0, verbose_name="rows to apply"),
        ),
        migrations.RunPython(count_rows_apart, count_rows_together),
        migrations.RenameField(
            model_name="importrowerror", old_name="message", new_name="fallback_message"
        ),
        migrations.AlterField(
            model_name="importrowerror",
            name="fallback_message",
            field=models.TextField(blank=True, verbose_name="message"),
        ),
        migrations.AddField(
            model_name="importrowerror",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
    ]
