"""Give the lead organizations and organizing departments of existing centers their object
permissions (new centers get them at designation, centers.permissions.grant_center)."""

from django.db import migrations


def grant(apps, schema_editor):
    Center = apps.get_model("centers", "Center")
    Permission = apps.get_model("auth", "Permission")
    Link = apps.get_model("centers", "CenterGroupObjectPermission")
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="centers", codename__in=["view_center", "change_center"]
        )
    }
    if len(perms) < 2:
        return  # fresh database: no centers yet, permissions come after migrate
    for center in Center.objects.select_related("lead_organization", "department"):
        grants = [(center.lead_organization.group_id, "view_center"),
                  (center.lead_organization.group_id, "change_center"),
                  (center.department.group_id, "view_center")]
        for group_id, codename in grants:
            if group_id:
                Link.objects.get_or_create(
                    group_id=group_id, permission=perms[codename], content_object=center
                )


class Migration(migrations.Migration):
    dependencies = [("centers", "0006_profile_annual_reports")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
