"""Create the two staff groups: Credit viewers (see only) and Credit managers."""

from django.db import migrations

VIEWER_PERMISSIONS = ["view_account", "view_storesettings"]
MANAGER_PERMISSIONS = VIEWER_PERMISSIONS + [
    "add_account",
    "change_account",
    "close_account",
    "import_accounts",
    "manage_api_keys",
    "change_storesettings",
]
GROUPS = {"Credit viewers": VIEWER_PERMISSIONS, "Credit managers": MANAGER_PERMISSIONS}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; this data migration needs
    # them now. Tests call this with the project's own registry: leave each app as found.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames)
        )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
