"""Warnings beside row errors: rows applied with a doubt, acknowledged on confirmation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0002_rows_to_apply_and_row_error_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='warning_count',
            field=models.PositiveIntegerField(default=0, verbose_name='warnings'),
        ),
        migrations.CreateModel(
            name='ImportRowWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_number', models.PositiveIntegerField(verbose_name='row')),
                ('column', models.CharField(blank=True, max_length=100, verbose_name='column')),
                ('value', models.CharField(blank=True, max_length=255, verbose_name='value')),
                ('field', models.CharField(blank=True, max_length=30, verbose_name='field')),
                ('stored_value', models.CharField(blank=True, max_length=255, verbose_name='value stored')),
                ('account_id', models.CharField(blank=True, max_length=100, verbose_name='account')),
                ('code', models.CharField(max_length=50, verbose_name='code')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='parameters')),
                ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='row_warnings', to='imports.importjob')),
            ],
            options={
                'verbose_name': 'row warning',
                'verbose_name_plural': 'row warnings',
                'ordering': ['job', 'row_number', 'id'],
                'indexes': [models.Index(fields=['job', 'row_number'], name='importrowwarning_job_row_idx')],
            },
        ),
    ]
