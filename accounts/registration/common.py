"""What the registration pages share: the organization's data form and its choices."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from accounts.models import SHANXI, City, Organization
from accounts.validators import validate_credit_code
from documents.languages import localized_lazy

PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区", "台湾省",
]  # fmt: skip
# English names of the provinces (shown in English; the Chinese name is the stored value).
PROVINCES_EN = dict(
    zip(
        PROVINCES,
        [
            "Beijing", "Tianjin", "Hebei", "Shanxi", "Inner Mongolia", "Liaoning", "Jilin",
            "Heilongjiang", "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi",
            "Shandong", "Henan", "Hubei", "Hunan", "Guangdong", "Guangxi", "Hainan",
            "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet", "Shaanxi", "Gansu", "Qinghai",
            "Ningxia", "Xinjiang", "Hong Kong", "Macao", "Taiwan",
        ],
        strict=True,
    )
)  # fmt: skip
ORG_TYPE_CHOICES = [
    ("enterprise", _("Enterprise")),
    ("university", _("University")),
    ("research_institute", _("Research institute")),
    ("technical_institution", _("Technical institution")),
    ("new_rd_institution", _("New R&D institution")),
]


# The organization part of the registration and the edit form (the edit form has no user).
ORGANIZATION_FIELDSETS = [
    (
        _("Organization information"),
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
    (_("Contact person"), ["contact_name", "contact_phone", "contact_email"]),
]


class OrganizationDataForm(BootstrapFormMixin, forms.Form):
    """The organization's own data, with the same rules at registration and on a change."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=1,
        validators=[validate_credit_code],
        help_text=_("18 characters, checked by GB 32100-2015."),
    )
    org_type = forms.ChoiceField(label=_("Organization type"), choices=ORG_TYPE_CHOICES)
    registered_province = forms.ChoiceField(
        label=_("Registered in (province)"),
        choices=[(p, localized_lazy(p, PROVINCES_EN.get(p, ""))) for p in PROVINCES],
        initial=SHANXI,
    )
    registered_city = forms.ModelChoiceField(
        label=_("Registered in (city)"),
        queryset=City.objects.all(),
        required=False,
        empty_label=_("Choose (not for organizations outside Shanxi)"),
    )
    address = forms.CharField(label=_("Address of the organization"), max_length=300)
    is_legal_person = forms.BooleanField(
        label=_("Has independent legal personality"), required=False, initial=True
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), max_length=254
    )  # the column's length

    organization = None  # the organization being changed; None when registering
    duplicate_code_message = _(
        "This unified social credit code is already registered; ask a registered colleague of your organization to invite you."
    )
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
                self.add_error(
                    "registered_city",
                    _("Organizations in Shanxi choose the city where they are registered."),
                )
        elif "registered_city" in data:
            data["registered_city"] = None
        return data
