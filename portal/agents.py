"""The group "Support agents" and the permissions each app grants it (from migrations)."""

from django.contrib.auth.management import create_permissions

from portal.access import AGENTS_GROUP


def grant_agent_permissions(apps, app_label: str, codenames: list[str]) -> None:
    """Give the agents' group these permissions of one app. For data migrations: the
    permissions of a freshly migrated app exist only after post_migrate, so create them."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
