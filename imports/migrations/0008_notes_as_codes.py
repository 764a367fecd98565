"""A job's notes become a list of codes and parameters (imports.messages.Note), worded when
read in the reader's language. Notes stored as text before keep their text, one entry per
line ({"text": …}), and read as they were written."""

from django.db import migrations, models


def notes_to_entries(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.exclude(text_notes="").only("pk", "text_notes").iterator():
        entries = [{"text": line} for line in job.text_notes.splitlines() if line]
        ImportJob.objects.filter(pk=job.pk).update(notes=entries)


def entries_to_notes(apps, schema_editor):
    from imports.messages import render_note

    ImportJob = apps.get_model("imports", "ImportJob")
    for job in ImportJob.objects.exclude(notes=[]).only("pk", "notes").iterator():
        text = "\n".join(render_note(entry) for entry in job.notes)
        ImportJob.objects.filter(pk=job.pk).update(text_notes=text)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0007_row_problems_in_page_order"),
    ]

    operations = [
        migrations.RenameField("importjob", "notes", "text_notes"),
        migrations.AddField(
            model_name="importjob",
            name="notes",
            field=models.JSONField(blank=True, default=list, verbose_name="notes"),
        ),
        migrations.RunPython(notes_to_entries, entries_to_notes),
        migrations.RemoveField("importjob", "text_notes"),
    ]
