from __future__ import annotations

from typing import Any

from django import forms

from zhixing.cases.models import CaseStatus
from zhixing.courts.models import Court


class CaseSearchForm(forms.Form):
    number = forms.CharField(label="案号", required=False, max_length=40)
    party = forms.CharField(label="当事人", required=False, max_length=100)
    status = forms.ChoiceField(label="案件状态", required=False, choices=[("", "全部"), *CaseStatus.choices])
    filed_from = forms.DateField(
        label="立案日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    filed_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    court = forms.ModelChoiceField(
        label="法院", required=False, queryset=Court.objects.none(), empty_label="全部"
    )

    def __init__(self, *args: object, courts: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if courts is not None:
            self.fields["court"].queryset = courts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and start > end:
            self.add_error("filed_to", "结束日期不能早于开始日期。")
        return data
