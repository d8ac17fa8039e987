from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from zhixing.cases.models import CaseStatus
from zhixing.courts.models import Court, Role, Team
from zhixing.workflow.models import Stage
from zhixing.workflow.selectors import DeadlineState


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class StageChoiceField(forms.ModelChoiceField):
    """Stage names, with the configuration's name when a user's courts use several sets."""

    set_count = 1

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.stage_set.name}）" if self.set_count > 1 else obj.name


class CaseSearchForm(forms.Form):
    """Filters of 全院案件 and 案件查询 (案号, party, judge, stage, deadline state, 立案日期, court/team)."""

    number = forms.CharField(label="案号", required=False, max_length=40)
    party = forms.CharField(label="当事人", required=False, max_length=100)
    judge = StaffChoiceField(
        label="承办人", required=False, queryset=get_user_model().objects.none(), empty_label="全部"
    )
    stage = StageChoiceField(
        label="当前阶段", required=False, queryset=Stage.objects.none(), empty_label="全部"
    )
    deadline_state = forms.ChoiceField(label="阶段期限", required=False, choices=DeadlineState.CHOICES)
    status = forms.ChoiceField(label="案件状态", required=False, choices=[("", "全部"), *CaseStatus.choices])
    filed_from = forms.DateField(
        label="立案日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    filed_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    court = forms.ModelChoiceField(
        label="法院", required=False, queryset=Court.objects.none(), empty_label="全部"
    )
    team = forms.ModelChoiceField(
        label="团队", required=False, queryset=Team.objects.none(), empty_label="全部"
    )

    def __init__(self, *args: Any, courts: Any = None, court_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = Stage.objects.filter(is_active=True, stage_set__is_default=True)
        if courts is not None:
            court_ids = (
                sorted(court_ids) if court_ids is not None else list(courts.values_list("pk", flat=True))
            )
            from zhixing.workflow.selectors import stage_set_ids

            # The stages of the sets these courts use (a court's own set, else the default set).
            set_ids = stage_set_ids(court_ids)
            self.fields["stage"].set_count = len(set_ids)  # type: ignore[attr-defined]
            stages = Stage.objects.filter(is_active=True, stage_set_id__in=set_ids)
            self.fields["court"].queryset = courts  # type: ignore[attr-defined]
            self.fields["team"].queryset = (  # type: ignore[attr-defined]
                Team.objects.filter(court_id__in=court_ids, is_active=True).select_related("court")
            )
            self.fields["judge"].queryset = (  # type: ignore[attr-defined]
                get_user_model()
                .objects.filter(
                    memberships__court_id__in=court_ids,
                    memberships__is_active=True,
                    memberships__role__in=[Role.JUDGE, Role.TEAM_LEAD],
                )
                .distinct()
                .order_by("display_name", "id")
            )
        self.fields["stage"].queryset = stages.select_related("stage_set").order_by("order", "id")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and start > end:
            self.add_error("filed_to", "结束日期不能早于开始日期。")
        return data

    def filters(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "number": d.get("number") or "",
            "party": d.get("party") or "",
            "judge_id": d["judge"].pk if d.get("judge") else None,
            "stage_id": d["stage"].pk if d.get("stage") else None,
            "deadline_state": d.get("deadline_state") or "",
            "status": d.get("status") or "",
            "filed_from": d.get("filed_from"),
            "filed_to": d.get("filed_to"),
            "court_id": d["court"].pk if d.get("court") else None,
            "team_id": d["team"].pk if d.get("team") else None,
        }
