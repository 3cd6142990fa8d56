"""Shanxi's 11 cities and their S&T bureaus, the provincial S&T department, and the role groups."""

from django.db import migrations

CITIES = [
    ("太原市", "140100", "太原市科学技术局"),
    ("大同市", "140200", "大同市科学技术局"),
    ("阳泉市", "140300", "阳泉市科学技术局"),
    ("长治市", "140400", "长治市科学技术局"),
    ("晋城市", "140500", "晋城市科学技术局"),
    ("朔州市", "140600", "朔州市科学技术局"),
    ("晋中市", "140700", "晋中市科学技术局"),
    ("运城市", "140800", "运城市科学技术局"),
    ("忻州市", "140900", "忻州市科学技术局"),
    ("临汾市", "141000", "临汾市科学技术局"),
    ("吕梁市", "141100", "吕梁市科学技术局"),
]
ROLES = ["applicant", "department_reviewer", "provincial_officer", "expert", "evaluator", "administrator"]


def forward(apps, schema_editor):
    City = apps.get_model("accounts", "City")
    Department = apps.get_model("accounts", "Department")
    Group = apps.get_model("auth", "Group")

    def department(name, kind, city=None):
        dept, _ = Department.objects.get_or_create(name=name, defaults={"kind": kind, "city": city})
        if dept.group_id is None:
            dept.group, _ = Group.objects.get_or_create(name=f"dept:{dept.pk}")
            dept.save(update_fields=["group"])

    department("山西省科学技术厅", "province_st")
    for order, (name, code, bureau) in enumerate(CITIES, start=1):
        city, _ = City.objects.get_or_create(division_code=code, defaults={"name": name, "order": order})
        department(bureau, "city_bureau", city)
    for role in ROLES:
        Group.objects.get_or_create(name=f"role:{role}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
