"""Sent by :func:`audit.services.record` and :func:`~audit.services.record_many`, inside the
caller's transaction, once the events are written: ``sender`` is the targets' model and the
receiver gets ``targets``, ``from_state`` and ``to_state``. Caches that follow changes
(accounts.inbox_topics) listen to it; a batch of events (``record_many``, one INSERT, no
``post_save``) sends it once."""

from django.dispatch import Signal

recorded = Signal()
