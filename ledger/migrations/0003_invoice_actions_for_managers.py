"""Credit managers may act on invoices from the account page: mark paid, postpone, cancel
(ledger.change_invoice, Django's own permission on the Invoice model)."""

from django.db import migrations

GROUP = "Credit managers"
PERMISSION = "change_invoice"


def _permission(apps):
    # Django creates model permissions after all migrations ran; on a new database this
    # migration runs first, so the permission is made here the way Django would name it.
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="ledger", model="invoice"
    )
    permission, _created = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=PERMISSION, defaults={"name": "Can change invoice"}
    )
    return permission


def grant_invoice_actions(apps, schema_editor):
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(_permission(apps))


def revoke_invoice_actions(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_overview_permission_for_managers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_invoice_actions, revoke_invoice_actions)]
