"""Organization.state_entered_at: when the organization entered its status, stored with the
audit event (audit.entered); existing rows computed from the audit trail, as My tasks did per
row before (the latest event to the status, else the creation)."""

import django.utils.timezone
from django.db import migrations, models

import audit.entered


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_exportjob_labels"),
        ("audit", "0003_entered_state_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # the backfill reads the audit index that audit 0004 drops
    run_before = [("audit", "0004_drop_entered_state_index")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="state_entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="in this state since",
            ),
        ),
        migrations.RunPython(
            audit.entered.backfill("accounts", "Organization", fallback="created_at"),
            migrations.RunPython.noop,
            elidable=True,
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["status", "state_entered_at", "id"], name="org_state_waiting"
            ),
        ),
    ]
