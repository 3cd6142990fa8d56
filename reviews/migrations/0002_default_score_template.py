from django.db import migrations

NAME = "技术创新中心建设方案专家论证评分表"

# name, description, maximum points (100 in all)
CRITERIA = [
    (
        "建设基础与条件",
        "牵头单位行业地位与研发实力；中心（本部）使用面积、仪器设备、场地等条件（第八条）。",
        20,
    ),
    (
        "技术创新能力与知识产权",
        "关键核心技术攻关能力，自主知识产权的专利、标准、软件著作权等成果及其转化。",
        20,
    ),
    (
        "中心主任与团队",
        "中心主任的职称、学术水平和组织能力；团队规模、结构与核心成员。",
        15,
    ),
    (
        "建设方案与目标可行性",
        "建设方案的科学性和可操作性；三年建设目标的先进性与可考核性。",
        15,
    ),
    (
        "运行机制与投入保障",
        "独立法人或过渡方案、理事会（董事会）、中心主任负责制、专家委员会；牵头单位与共建单位的投入承诺（第十至十二条）。",
        15,
    ),
    (
        "公共服务与产业带动",
        "面向行业提供技术研发、检验检测、企业孵化、人员培训等公共服务，带动产业发展的作用（第十三条）。",
        15,
    ),
]


def seed(apps, schema_editor):
    ScoreTemplate = apps.get_model("reviews", "ScoreTemplate")
    Criterion = apps.get_model("reviews", "Criterion")
    template, created = ScoreTemplate.objects.get_or_create(
        name=NAME,
        version=1,
        defaults={"is_default": True, "description": "默认评分模板，满分100分。"},
    )
    if created:
        for order, (name, description, points) in enumerate(CRITERIA, start=1):
            Criterion.objects.create(
                template=template,
                name=name,
                description=description,
                max_points=points,
                order=order,
            )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
