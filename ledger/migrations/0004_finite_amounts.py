# NaN and out-of-range amounts refused by the database itself (see accounts 0008).

from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_database_checks_finite_money_known_choices'),
        ('ledger', '0003_invoice_actions_for_managers'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', Decimal('0')), ('value__lte', Decimal('999999999999.99'))), name='invoice_value_finite'),
        ),
        migrations.AddConstraint(
            model_name='preauthorization',
            constraint=models.CheckConstraint(condition=models.Q(('value__gte', Decimal('0')), ('value__lte', Decimal('999999999999.99')), ('original_value__gte', Decimal('0')), ('original_value__lte', Decimal('999999999999.99')), ('settled_value__gte', Decimal('0')), ('settled_value__lte', Decimal('999999999999.99'))), name='preauth_values_finite_not_negative'),
        ),
    ]
