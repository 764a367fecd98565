"""Credit managers may see the credit overview (totals, due and overdue invoices)."""

from django.db import migrations

GROUP = "Credit managers"
PERMISSION = "view_credit_overview"


def grant_overview(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; this one is needed now.
    app_config = apps.get_app_config("ledger")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="ledger", codename=PERMISSION)
    )


def revoke_overview(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="ledger", codename=PERMISSION)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_pre_authorizations_invoices_and_movements"),
        ("accounts", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_overview, revoke_overview)]
