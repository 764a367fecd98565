"""A job page reads its row errors and warnings off an index in the page's order (id last),
without sorting the rows of the pages before it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0006_money_summary_and_approval"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="importrowerror",
            name="importrowerror_job_row_idx",
        ),
        migrations.RemoveIndex(
            model_name="importrowwarning",
            name="importrowwarning_job_row_idx",
        ),
        migrations.AddIndex(
            model_name="importrowerror",
            index=models.Index(
                fields=["job", "row_number", "id"], name="importrowerror_job_row_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="importrowwarning",
            index=models.Index(
                fields=["job", "row_number", "id"], name="importrowwarning_job_row_idx"
            ),
        ),
    ]
