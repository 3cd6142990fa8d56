"""What the registration pages share: the organization's data form and its choices."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import BootstrapFormMixin
from accounts.models import SHANXI, City, Organization
from accounts.validators import validate_credit_code

PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区", "台湾省",
]  # fmt: skip
ORG_TYPE_CHOICES = [
    ("enterprise", "企业"),
    ("university", "高等院校"),
    ("research_institute", "科研院所"),
    ("technical_institution", "技术机构"),
    ("new_rd_institution", "新型研发机构"),
]


# The organization part of the registration and the edit form (the edit form has no user).
ORGANIZATION_FIELDSETS = [
    (
        "单位信息",
        [
            "name",
            "credit_code",
            "org_type",
            "registered_province",
            "registered_city",
            "address",
            "is_legal_person",
            "licence",
        ],
    ),
    ("联系人", ["contact_name", "contact_phone", "contact_email"]),
]


class OrganizationDataForm(BootstrapFormMixin, forms.Form):
    """The organization's own data, with the same rules at registration and on a change."""

    name = forms.CharField(label="单位名称", max_length=200)
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        min_length=1,
        validators=[validate_credit_code],
        help_text="18位，按GB 32100-2015校验。",
    )
    org_type = forms.ChoiceField(label="单位类型", choices=ORG_TYPE_CHOICES)
    registered_province = forms.ChoiceField(
        label="注册地（省级）", choices=[(p, p) for p in PROVINCES], initial=SHANXI
    )
    registered_city = forms.ModelChoiceField(
        label="注册地（市）",
        queryset=City.objects.all(),
        required=False,
        empty_label="请选择（省外单位不填）",
    )
    address = forms.CharField(label="单位地址", max_length=300)
    is_legal_person = forms.BooleanField(label="具有独立法人资格", required=False, initial=True)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    contact_email = forms.EmailField(label="联系邮箱", max_length=254)  # the column's length

    organization = None  # the organization being changed; None when registering
    duplicate_code_message = "该统一社会信用代码已注册，请联系本单位已注册的人员邀请您加入。"
    FIELDSETS: list = []

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.FIELDSETS]

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        others = Organization.objects.filter(credit_code=code)
        if self.organization is not None:
            others = others.exclude(pk=self.organization.pk)
        if others.exists():
            raise ValidationError(self.duplicate_code_message)
        return code

    def clean(self):
        data = super().clean()
        if data.get("registered_province") == SHANXI:
            if not data.get("registered_city"):
                self.add_error("registered_city", "山西省内单位请选择注册地所在的市。")
        elif "registered_city" in data:
            data["registered_city"] = None
        return data
