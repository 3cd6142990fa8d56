"""Drop audit_entered_state: My tasks reads the stored state_entered_at of the plans and
organizations now (audit.entered), nothing looks an event up by its to_state any more. The
backfills of accounts 0009 and applications 0008 run before (they read it once)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_entered_state_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="audit_entered_state"),
    ]
