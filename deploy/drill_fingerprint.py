"""Print a JSON fingerprint of the database and the stored files (deploy/restore_drill.sh).

Run with ``DRILL_OUT=file manage.py shell -c "$(cat deploy/drill_fingerprint.py)"``: the row count of every
model of the project's apps and of the users, and the SHA-256 of every file a FileField
refers to. The drill compares the fingerprint before the backup with the one after restore.
"""

import hashlib
import json
import os

from django.apps import apps
from django.db import models

PROJECT = {
    "accounts", "applications", "audit", "centers", "documents", "evaluations",
    "notifications", "numbering", "reviews", "workdays",
}  # fmt: skip
rows, files = {}, {}
for model in apps.get_models():
    if model._meta.app_label not in PROJECT or model._meta.proxy:
        continue
    rows[model._meta.label] = model._default_manager.count()
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        for name in model._default_manager.exclude(**{field.name: ""}).values_list(
            field.name, flat=True
        ):
            with field.storage.open(name, "rb") as handle:
                files[name] = hashlib.sha256(handle.read()).hexdigest()
with open(os.environ["DRILL_OUT"], "w") as out:
    json.dump({"rows": rows, "files": files}, out, sort_keys=True)
