"""An expression index whose NULLS FIRST/LAST is dropped where the database refuses it."""

import copy

from django.db import models
from django.db.models.expressions import OrderBy


class NullsOrderIndex(models.Index):
    """PostgreSQL gets ``submitted_at DESC NULLS LAST``; SQLite refuses NULLS in an index and
    already sorts NULLs last in a descending order, so there the modifier is dropped."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.deepcopy(self)
        for expression in plain.expressions:
            if isinstance(expression, OrderBy):
                expression.nulls_first = expression.nulls_last = None
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
