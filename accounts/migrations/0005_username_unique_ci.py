"""Usernames unique without regard to case (issue 15).

Before the constraint is added, existing accounts whose usernames differ only by case are
REPORTED: the migration stops with the list, and nothing is renamed or merged. An
administrator decides which account keeps the name, renames the others, and runs
``migrate`` again.
"""

import django.db.models.functions.text
from django.db import migrations, models

import accounts.models


class CaseConflicts(RuntimeError):
    pass


def username_case_conflicts(User):
    """{lowercased username: [usernames]} for the names held by more than one account."""
    groups = {}
    for pk, username in User.objects.order_by("pk").values_list("pk", "username"):
        groups.setdefault(username.lower(), []).append(f"{username} (id {pk})")
    return {key: names for key, names in groups.items() if len(names) > 1}


def refuse_case_conflicts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    conflicts = username_case_conflicts(User)
    if conflicts:
        lines = "\n".join(f"  {key}: {', '.join(names)}" for key, names in sorted(conflicts.items()))
        raise CaseConflicts(
            "Usernames must be unique without regard to case, but these accounts differ only "
            "by case. Rename all but one of each group (admin site or shell), then run "
            f"migrate again. Nothing was changed.\n{lines}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organizationregistration"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_case_conflicts, migrations.RunPython.noop),
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.CaseInsensitiveUserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="user_username_unique_ci",
                violation_error_message="该用户名已被使用（用户名不区分大小写）。",
            ),
        ),
    ]
