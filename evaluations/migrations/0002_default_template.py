"""Seed the default indicator template: six dimensions, 100 points (weights editable while
the template is unused; a used template is frozen and changes by a new version)."""

from decimal import Decimal

from django.db import migrations

NAME = "山西省技术创新中心三年绩效评估指标体系"

# (dimension, weight, [(indicator, unit, points, target source, report field, rule, guidance)])
DEFAULT = [
    ("组织管理与运行", 15, [
        ("法人实体与治理结构", "", 8, "none", "", "manual", "独立法人或过渡方案落实，理事会、专家委员会运行"),
        ("管理制度与运行机制", "", 7, "none", "", "manual", "章程、财务、项目、人才等制度健全并有效执行"),
    ]),
    ("研发条件与投入", 20, [
        ("研发投入", "万元", 12, "plan_target", "rd_spending_wan", "attainment", "三年研发投入合计对照建设方案目标"),
        ("科研条件与仪器设备共享", "台（套）", 8, "report_field", "shared_instruments", "manual", "研发场地、仪器设备及开放共享情况"),
    ]),
    ("人才团队", 15, [
        ("研发人员", "人", 9, "plan_target", "rd_staff", "attainment", "最近一年研发人员数对照建设方案目标"),
        ("高层次人才", "人", 6, "report_field", "senior_talent", "manual", "领军人才、青年骨干的引进与培养"),
    ]),
    ("研发产出", 15, [
        ("发明专利", "件", 9, "plan_target", "invention_patents", "attainment", "三年发明专利合计对照建设方案目标"),
        ("标准", "项", 6, "plan_target", "standards", "attainment", "三年主持或参与制定标准合计对照目标"),
    ]),
    ("成果转化与企业孵化", 20, [
        ("转移转化成果", "项", 8, "report_field", "results_transferred", "manual", "成果转移转化的数量、收入与效益"),
        ("孵化企业", "家", 12, "plan_target", "incubated_enterprises", "attainment", "三年孵化企业合计对照建设方案目标"),
    ]),
    ("开放协作与公共服务", 15, [
        ("技术服务收入", "万元", 8, "plan_target", "service_income_wan", "attainment", "三年技术服务收入合计对照建设方案目标"),
        ("服务企业与开放协作", "家", 7, "report_field", "enterprises_served", "manual", "服务企业数量、产学研协同与公共服务"),
    ]),
]


def seed(apps, schema_editor):
    Template = apps.get_model("evaluations", "IndicatorTemplate")
    Dimension = apps.get_model("evaluations", "Dimension")
    Indicator = apps.get_model("evaluations", "Indicator")
    if Template.objects.filter(name=NAME).exists():
        return
    template = Template.objects.create(
        name=NAME, version=1, is_current=True, note="默认指标体系（六个维度，满分100分）"
    )
    for d_order, (dim_name, weight, indicators) in enumerate(DEFAULT, start=1):
        dim = Dimension.objects.create(
            template=template, order=d_order, name=dim_name, weight=Decimal(weight)
        )
        for i_order, (name, unit, points, source, key, rule, guidance) in enumerate(
            indicators, start=1
        ):
            Indicator.objects.create(
                dimension=dim,
                order=i_order,
                name=name,
                unit=unit,
                points=Decimal(points),
                target_source=source,
                source_key=key,
                rule=rule,
                guidance=guidance,
            )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    # Backwards there is nothing to delete: unapplying 0001 drops the tables.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
