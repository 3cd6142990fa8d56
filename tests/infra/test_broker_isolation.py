import os
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="only the filesystem broker")
def test_tasks_queued_by_tests_go_to_a_throwaway_folder():
    from config.celery import app

    out = Path(app.conf.broker_transport_options["data_folder_out"])
    assert Path(settings.VAR_DIR) not in out.parents
    before = len(list(out.iterdir()))
    app.send_task("notifications.tasks.send_message_emails", args=[[]])
    assert len(list(out.iterdir())) == before + 1
