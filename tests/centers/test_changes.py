"""Change requests (Art. 15): the graph, the application of the change, history, refusals."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from audit.selectors import events_for
from centers.models import CenterName
from centers.models_changes import CenterChange, CenterChangeRequest
from centers.services import changes
from centers.services.changes import ChangeError
from notifications.models import Message

from .change_factories import dept_user, filed, make_center, rename_data, staff_of

NEW = "山西省碳基先进材料技术创新中心"


@pytest.fixture
def center(db):
    return make_center()


def _through(center, request, officer):
    reviewer = dept_user(center)
    changes.change_request_decide(
        actor=reviewer,
        request_id=request.pk,
        decision="approve",
        opinion="同意上报。",
        expected_status="dept_review",
    )
    return changes.change_request_decide(
        actor=officer,
        request_id=request.pk,
        decision="approve",
        opinion="同意更名。",
        expected_status="province_review",
    )


@pytest.mark.django_db(transaction=False)
def test_rename_applies_on_province_approval_with_history(
    center, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        request = filed(center)
    assert request.status == "dept_review" and request.attachments.count() == 1
    old = center.name
    with django_capture_on_commit_callbacks(execute=True):
        request = _through(center, request, officer)
    center.refresh_from_db()
    assert request.status == "approved"
    assert center.name == NEW
    former = CenterName.objects.get(center=center, valid_to__isnull=False)
    assert former.name == old
    current = CenterName.objects.get(center=center, valid_to__isnull=True)
    assert current.name == NEW and current.valid_from == former.valid_to
    change = CenterChange.objects.get(request=request)
    assert change.old_values == {"name": old} and change.new_values == {"name": NEW}
    assert request.dept_opinion == "同意上报。" and request.province_opinion == "同意更名。"
    actions = list(events_for(target=request).order_by("pk").values_list("action", flat=True))
    assert actions == [
        "centers.change.created",
        "centers.change.submit",
        "centers.change.dept_approve",
        "centers.change.approve",
    ]
    assert events_for(target=center).filter(action="centers.change.applied").exists()
    # the staff were told on commit
    assert Message.objects.filter(recipient=center._test_staff, subject__contains="批准").exists()


@pytest.mark.django_db
def test_rejected_request_changes_nothing(center, officer):
    before = (center.name, center.main_direction, center.cobuilders)
    request = filed(center)
    changes.change_request_decide(
        actor=dept_user(center), request_id=request.pk, decision="approve", opinion=""
    )
    changes.change_request_decide(
        actor=officer, request_id=request.pk, decision="reject", opinion="名称与领域不符。"
    )
    center.refresh_from_db()
    assert (center.name, center.main_direction, center.cobuilders) == before
    assert not CenterChange.objects.exists()
    assert CenterName.objects.filter(center=center).count() == 1
    request.refresh_from_db()
    assert request.status == "rejected" and request.province_opinion == "名称与领域不符。"


@pytest.mark.django_db
def test_department_rejection_needs_reasons_and_changes_nothing(center):
    request = filed(center)
    reviewer = dept_user(center)
    with pytest.raises(ChangeError, match="理由"):
        changes.change_request_decide(
            actor=reviewer, request_id=request.pk, decision="reject", opinion=""
        )
    request.refresh_from_db()
    assert request.status == "dept_review"
    changes.change_request_decide(
        actor=reviewer, request_id=request.pk, decision="reject", opinion="理由不充分。"
    )
    center.refresh_from_db()
    assert center.name == "山西省碳基新材料技术创新中心"


@pytest.mark.django_db
def test_returned_request_is_edited_and_resubmitted(center):
    request = filed(center)
    reviewer = dept_user(center)
    changes.change_request_decide(
        actor=reviewer, request_id=request.pk, decision="return", opinion="请补充理事会决议。"
    )
    request.refresh_from_db()
    assert request.status == "returned"
    changes.change_request_update(
        actor=center._test_staff,
        request_id=request.pk,
        data=rename_data(new_name="山西省先进碳材料技术创新中心"),
    )
    request = changes.change_request_submit(actor=center._test_staff, request_id=request.pk)
    assert request.status == "dept_review" and request.new_name == "山西省先进碳材料技术创新中心"
    assert AuditEvent.objects.filter(action="centers.change.resubmit").count() == 1


@pytest.mark.django_db
def test_pressing_submit_twice_submits_once(center):
    request = filed(center)
    with pytest.raises(ChangeError, match="无需重复提交"):
        changes.change_request_submit(actor=center._test_staff, request_id=request.pk)
    assert AuditEvent.objects.filter(action="centers.change.submit").count() == 1


@pytest.mark.django_db
def test_second_decision_on_the_same_state_is_refused(center, officer):
    request = filed(center)
    reviewer = dept_user(center)
    other = dept_user(center, username="reviewer_two")
    changes.change_request_decide(
        actor=reviewer,
        request_id=request.pk,
        decision="approve",
        expected_status="dept_review",
    )
    with pytest.raises(ChangeError, match="已由他人处理"):
        changes.change_request_decide(
            actor=other,
            request_id=request.pk,
            decision="reject",
            opinion="不同意更名。",
            expected_status="dept_review",
        )
    request.refresh_from_db()
    assert request.status == "province_review" and request.dept_opinion == ""
    assert AuditEvent.objects.filter(action__startswith="centers.change.dept").count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "碳基先进材料技术创新中心",
        "山西省碳基先进材料中心",
        "山西省 碳基 技术创新中心",
        "山西省碳技术创新中心",
    ],
)
@pytest.mark.django_db
def test_rename_must_keep_the_official_form(center, name):
    with pytest.raises(ChangeError, match="山西省××技术创新中心"):
        filed(center, data=rename_data(new_name=name))
    assert not CenterChangeRequest.objects.exists()


@pytest.mark.django_db
def test_rename_to_another_centers_name_is_refused(center):
    make_center(name="碳基先进材料")
    with pytest.raises(ChangeError, match="另一家"):
        filed(center)


@pytest.mark.django_db
def test_one_open_request_per_center_and_kind(center):
    filed(center)
    with pytest.raises(ChangeError, match="尚未办结"):
        filed(center, data=rename_data(new_name="山西省先进碳材料技术创新中心"))
    # another kind is fine
    filed(
        center,
        kind="direction",
        data={"reasons": "产业需求变化，研究方向需要调整。", "new_direction": "碳纤维"},
    )
    # and the database refuses a second open one even past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterChangeRequest.objects.create(
            center=center, kind="rename", reasons="x", created_by=center._test_staff
        )


@pytest.mark.django_db
def test_a_closed_request_frees_the_kind(center, officer):
    request = filed(center)
    changes.change_request_decide(
        actor=dept_user(center), request_id=request.pk, decision="reject", opinion="理由不充分。"
    )
    assert filed(center).status == "dept_review"


@pytest.mark.django_db
def test_direction_and_reorganization_apply(center, officer):
    direction = filed(
        center,
        kind="direction",
        data={"reasons": "产业需求变化，研究方向需要调整。", "new_direction": "碳纤维及复合材料"},
    )
    _through(center, direction, officer)
    reorg = filed(
        center,
        kind="reorganization",
        data={
            "reasons": "新增共建单位以补强中试能力，撤出一家研究所。",
            "new_cobuilders": "山西共建大学\n太原中试基地有限公司",
            "new_institutions": "",
            "description": "",
        },
    )
    _through(center, reorg, officer)
    center.refresh_from_db()
    assert center.main_direction == "碳纤维及复合材料"
    assert [c["name"] for c in center.cobuilders] == ["山西共建大学", "太原中试基地有限公司"]
    assert center.cobuilders[0]["mode"] == "agreement"  # kept details of a kept co-builder
    assert center.profile["lead"]["rd_institutions"] == []
    from centers.models_profile import CoBuilder

    rows = list(CoBuilder.objects.filter(center=center).values_list("name", "mode"))
    assert rows == [("山西共建大学", "agreement"), ("太原中试基地有限公司", "")]
    change = CenterChange.objects.get(request=reorg)
    assert change.old_values == {"cobuilders": ["山西共建大学"], "institutions": ["碳材料研究所"]}


@pytest.mark.django_db
def test_refused_actors_change_nothing(center, officer):
    stranger = staff_of(make_center(name="氢能"))
    with pytest.raises(PermissionDenied):
        filed(center, staff=stranger)
    request = filed(center)
    other_city = dept_user(center, username="elsewhere")
    other_city.department = type(other_city.department).objects.get(
        kind="city_bureau", city__name="大同市"
    )
    other_city.save()
    for actor in (other_city, stranger, center._test_staff):
        with pytest.raises(PermissionDenied):
            changes.change_request_decide(actor=actor, request_id=request.pk, decision="approve")
    # the province cannot skip the department
    with pytest.raises(PermissionDenied):
        changes.change_request_decide(actor=officer, request_id=request.pk, decision="approve")
    request.refresh_from_db()
    assert request.status == "dept_review"


@pytest.mark.django_db
def test_attachment_checked_by_content(center):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("请示.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ChangeError, match="内容不是 PDF"):
        filed(center, attachments=[fake])
    assert not CenterChangeRequest.objects.exists()
