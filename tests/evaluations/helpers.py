"""An evaluation brought to a given step through the real services."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.services import commissioning, credit, scheduling, scoring, self_reports
from tests.evaluations.factories import annual_reports, institution, make_center
from tests.factories import officer

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def pdf(name="评估报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class World:
    """A center with three accepted annual reports, an officer, an institution."""

    def __init__(self, *, designated_on=dt.date(2023, 12, 1), institution_name=None):
        self.center, self.staff = make_center(designated_on=designated_on)
        annual_reports(self.center, self.staff, [2023, 2024, 2025])
        self.officer = officer()
        kw = {"name": institution_name} if institution_name else {}
        self.institution, self.evaluator = institution(**kw)
        self.evaluation = None

    def open(self):
        self.evaluation = scheduling.open_evaluation(actor=self.officer, center_id=self.center.pk)
        return self.refresh()

    def commission(self, today=None):
        today = today or timezone.localdate()
        commissioning.commission(
            actor=self.officer,
            evaluation_ids=[self.evaluation.pk],
            institution_id=self.institution.pk,
            self_report_deadline=today + dt.timedelta(days=30),
            evaluation_deadline=today + dt.timedelta(days=60),
            today=today,
        )
        return self.refresh()

    def self_report(self):
        self_reports.save_self_report(
            actor=self.staff,
            evaluation_id=self.evaluation.pk,
            self_assessment="三年来中心完成了建设方案确定的主要任务。",
            values={},
        )
        self_reports.submit_self_report(actor=self.staff, evaluation_id=self.evaluation.pk)
        return self.refresh()

    def credit(self, result="passed"):
        credit.record_credit_check(
            actor=self.officer,
            evaluation_id=self.evaluation.pk,
            result=result,
            source="信用中国",
            checked_on=timezone.localdate() - dt.timedelta(days=1),
        )
        return self.refresh()

    def score(self, manual=None, submit=True):
        rows = scoring.rows(self.evaluation)
        scores = {
            r.indicator.pk: (manual if manual is not None else r.indicator.points, "")
            for r in rows
            if not r.by_rule
        }
        scoring.save_scores(
            actor=self.evaluator,
            evaluation_id=self.evaluation.pk,
            scores=scores,
            findings="中心运行规范，目标基本完成。",
        )
        if submit:
            scoring.propose(actor=self.evaluator, evaluation_id=self.evaluation.pk, report=pdf())
        return self.refresh()

    def to_proposed(self, manual=None):
        self.open()
        self.commission()
        self.self_report()
        self.credit()
        return self.score(manual=manual)

    def refresh(self):
        self.evaluation = Evaluation.objects.get(pk=self.evaluation.pk)
        return self.evaluation
