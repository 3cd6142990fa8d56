"""Carry the CenterNumberSequence counters over to numbering.Sequence, then drop the old table."""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("centers", "CenterNumberSequence")
    Sequence = apps.get_model("numbering", "Sequence")
    for old in Old.objects.all():
        row, _ = Sequence.objects.get_or_create(kind="center", year=old.year)
        if old.last > row.last:
            row.last = old.last
            row.save(update_fields=["last"])


def backward(apps, schema_editor):
    Old = apps.get_model("centers", "CenterNumberSequence")
    Sequence = apps.get_model("numbering", "Sequence")
    for row in Sequence.objects.filter(kind="center"):
        Old.objects.update_or_create(year=row.year, defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0003_meetings_publicity_centers"),
        ("numbering", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="CenterNumberSequence"),
    ]
