"""A file uploaded again counts the changes made since its earlier import that it would undo."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0003_row_warnings'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='undo_count',
            field=models.PositiveIntegerField(default=0, verbose_name='changes it would undo'),
        ),
    ]
