"""Application.state_entered_at: when the plan entered its status, stored with the audit
event (audit.entered); existing rows computed from the audit trail, as My tasks did per row
before (the latest event to the status, else the last update)."""

import django.utils.timezone
from django.db import migrations, models

import audit.entered


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_list_order_indexes"),
        ("audit", "0003_entered_state_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # the backfill reads the audit index that audit 0004 drops
    run_before = [("audit", "0004_drop_entered_state_index")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="state_entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="in this state since",
            ),
        ),
        migrations.RunPython(
            audit.entered.backfill("applications", "Application", fallback="updated_at"),
            migrations.RunPython.noop,
            elidable=True,
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["status", "state_entered_at", "id"], name="app_state_waiting"
            ),
        ),
    ]
