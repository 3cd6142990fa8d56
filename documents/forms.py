from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={
            "required": "请填写更正原因。",
            "max_length": "更正原因不能超过%(limit_value)d个字。",
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写更正原因。")
        return reason


class VerifyLookupForm(forms.Form):
    """The code printed under the QR code, typed by hand (query parameter ``code``)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={
            "required": "请输入文件上的验证码。",
            "max_length": "验证码为16位字母和数字。",
        },
    )

    def clean_code(self):
        from .verification import normalize

        code = normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "验证码格式不正确：应为16位字母和数字（如 ABCD-EFGH-JKMN-PQRS）。"
            )
        return code


class VerifyUploadForm(forms.Form):
    """A copy of an issued PDF, checked against the stored file by its SHA-256."""

    file = forms.FileField(
        label=_("File to verify"),
        error_messages={
            "required": "请选择要核验的PDF文件。",
            "empty": "上传的文件是空的。",
            "invalid": "没有收到文件，请重新选择。",
        },
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].help_text = gettext(
            "A PDF file of at most %(mb)s. It is only used to compute its SHA-256 and is not kept."
        ) % {"mb": filesizeformat(max_bytes)}
        self.fields["file"].widget.attrs.update(
            {"accept": "application/pdf,.pdf", "class": "form-control"}
        )

    def clean_file(self):
        from .uploads import sniff

        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"文件过大：核验的文件不能超过{self.max_bytes // (1024 * 1024)} MB"
                "（本平台印发的文件都小于此大小）。"
            )
        if sniff(upload) != "pdf":
            raise forms.ValidationError("上传的文件不是PDF文件，不是本平台印发的文件。")
        return upload
