"""Organizations keep their last verified name; organization pages open by object permission.

- ``verified_name``: verified organizations take their name; an organization whose change
  waits for verification takes the name it had before the first rename since its last
  verification (from the audit trail).
- The department reviewer and provincial officer roles lose the global
  ``accounts.view_organization`` (it opened every organization to every bureau); instead
  each organization's own group, its verifying department and the provincial S&T
  department get the object permission (accounts.access keeps it in step from now on).
"""

from django.db import migrations, models

PROVINCE_ST = "province_st"
CITY_BUREAU = "city_bureau"
EVALUATOR = "third_party_evaluator"


def _verified_name(org, events):
    if org.status == "verified":
        return org.name
    verified_seen = False
    first_old_name = None
    for event in events:
        if event.action == "organization.verify":
            verified_seen, first_old_name = True, None
        elif event.action == "organization.update" and isinstance(event.data, dict):
            old = event.data.get("old") or {}
            if "name" in old and first_old_name is None:
                first_old_name = old["name"]
    registered = any(e.action == "organization.register" for e in events)
    if first_old_name is not None and (verified_seen or not registered):
        return first_old_name
    return org.name if verified_seen else ""


def forward(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    Department = apps.get_model("accounts", "Department")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")

    perm = Permission.objects.filter(
        content_type__app_label="accounts", codename="view_organization"
    ).first()
    if perm is not None:
        for name in ("role:department_reviewer", "role:provincial_officer"):
            group = Group.objects.filter(name=name).first()
            if group is not None:
                group.permissions.remove(perm)

    if not Organization.objects.exists():
        return
    org_type = ContentType.objects.filter(app_label="accounts", model="organization").first()
    province = Department.objects.filter(kind=PROVINCE_ST).first()
    for org in Organization.objects.all():
        if org_type is not None:
            events = list(
                AuditEvent.objects.filter(target_type=org_type, target_id=str(org.pk)).order_by(
                    "created_at", "pk"
                )
            )
        else:
            events = []
        org.verified_name = _verified_name(org, events)
        org.save(update_fields=["verified_name"])
        if perm is None or org.group_id is None:
            continue
        groups = {org.group_id}
        if province is not None and province.group_id:
            groups.add(province.group_id)
        dept = None
        if org.org_type != EVALUATOR:
            if org.verifying_department_id:
                dept = Department.objects.filter(pk=org.verifying_department_id).first()
            elif org.registered_province == "山西省" and org.registered_city_id:
                dept = Department.objects.filter(
                    kind=CITY_BUREAU, city_id=org.registered_city_id
                ).first()
        if dept is not None and dept.group_id:
            groups.add(dept.group_id)
        for group_id in groups:
            GroupObjectPermission.objects.get_or_create(
                group_id=group_id,
                permission=perm,
                content_type=org_type,
                object_pk=str(org.pk),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reference_data"),
        ("audit", "0001_initial"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="verified_name",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="verified name"
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
