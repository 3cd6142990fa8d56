"""Two reviewers of the same department decide the same request at the same moment."""

import threading

import pytest
from django.db import close_old_connections, connection

from audit.selectors import events_for
from centers.models_changes import CenterChangeRequest
from centers.services import changes

from .change_factories import dept_user, filed, make_center


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_one_wins_the_other_is_told():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks between two connections need PostgreSQL (CI)")
    center = make_center()
    request = filed(center)
    first, second = dept_user(center, username="race_a"), dept_user(center, username="race_b")
    barrier = threading.Barrier(2)
    done, refused = [], []

    def decide(actor, decision, opinion):
        try:
            barrier.wait(timeout=10)
            changes.change_request_decide(
                actor=actor,
                request_id=request.pk,
                decision=decision,
                opinion=opinion,
                expected_status="dept_review",
            )
            done.append(decision)
        except changes.ChangeError as exc:
            refused.append(str(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, "approve", "同意。")),
        threading.Thread(target=decide, args=(second, "reject", "不同意更名。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(done) == 1 and len(refused) == 1
    assert "已由他人处理" in refused[0]
    status = CenterChangeRequest.objects.get(pk=request.pk).status
    assert status == ("province_review" if done == ["approve"] else "rejected")
    decisions = events_for(target=request).filter(action__startswith="centers.change.dept")
    assert decisions.count() == 1
