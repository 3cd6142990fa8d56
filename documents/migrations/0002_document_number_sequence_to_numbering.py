"""Carry the DocumentNumberSequence counters over to numbering.Sequence, then drop the old table."""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("documents", "DocumentNumberSequence")
    Sequence = apps.get_model("numbering", "Sequence")
    for old in Old.objects.all():
        row, _ = Sequence.objects.get_or_create(kind=f"document:{old.prefix}", year=old.year)
        if old.last > row.last:
            row.last = old.last
            row.save(update_fields=["last"])


def backward(apps, schema_editor):
    Old = apps.get_model("documents", "DocumentNumberSequence")
    Sequence = apps.get_model("numbering", "Sequence")
    for row in Sequence.objects.filter(kind__startswith="document:"):
        Old.objects.update_or_create(
            prefix=row.kind.split(":", 1)[1], year=row.year, defaults={"last": row.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("numbering", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="DocumentNumberSequence"),
    ]
