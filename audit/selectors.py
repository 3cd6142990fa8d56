from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def events_for(*, target):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
    ).select_related("actor")
