# The database refuses what no rule allows: unknown statuses and document types, NaN or
# out-of-range amounts (PostgreSQL numeric accepts NaN; ">= 0" alone lets it through).

from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_history_reason_as_code'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('credit_limit__gte', Decimal('0')), ('credit_limit__lte', Decimal('999999999999.99'))), name='account_credit_limit_finite'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('balance__gte', Decimal('-999999999999.99')), ('balance__lte', Decimal('999999999999.99'))), name='account_balance_finite'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('pre_authorized_credit__gte', Decimal('-0.005')), ('pre_authorized_credit__lte', Decimal('999999999999.99'))), name='account_pre_authorized_credit_finite_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['Open', 'Closed'])), name='account_status_known'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(('document_type__in', ['CPF', 'CNPJ', 'Other'])), name='account_document_type_known'),
        ),
        migrations.AddConstraint(
            model_name='storesettings',
            constraint=models.CheckConstraint(condition=models.Q(('default_credit_limit__gte', Decimal('0')), ('default_credit_limit__lte', Decimal('999999999999.99'))), name='store_settings_default_credit_limit_finite'),
        ),
    ]
