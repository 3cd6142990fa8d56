"""The 14 industry fields of Art. 7 (extendable: the "+N") and the strategic areas of Art. 6."""

from django.db import migrations

FIELDS = [
    ("F01", "半导体", ""),
    ("F02", "炭基新材料", "后续省级文件写作“碳基新材料”"),
    ("F03", "特种金属材料", ""),
    ("F04", "大数据", ""),
    ("F05", "信息技术应用创新", ""),
    ("F06", "煤机智能制造", ""),
    ("F07", "轨道交通", ""),
    ("F08", "通用航空", ""),
    ("F09", "新能源", ""),
    ("F10", "新能源汽车", ""),
    ("F11", "煤成气", "后续省级文件写作“煤层气”"),
    ("F12", "现代生物医药和大健康", ""),
    ("F13", "煤炭清洁高效利用", ""),
    ("F14", "有机旱作农业和现代农业", ""),
]
AREAS = ["太原城市群建设", "黄河流域生态保护和高质量发展", "“两山七河一流域”生态修复"]


def forward(apps, schema_editor):
    IndustryField = apps.get_model("centers", "IndustryField")
    StrategicArea = apps.get_model("centers", "StrategicArea")
    for order, (code, name, note) in enumerate(FIELDS, start=1):
        IndustryField.objects.get_or_create(code=code, defaults={"name": name, "order": order, "note": note})
    for order, name in enumerate(AREAS, start=1):
        StrategicArea.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
