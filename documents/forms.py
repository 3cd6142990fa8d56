from django import forms
from django.utils.translation import gettext_lazy as _


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
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
