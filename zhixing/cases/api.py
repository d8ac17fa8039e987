"""Case API for court staff: search, read, file (立案)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from zhixing.courts.models import Court, Role
from zhixing.courts.selectors import staff_roles
from zhixing.workbench.access import is_staff_user

from . import selectors, services
from .models import EnforcementCase, Party

API_PREFIX = "/cases/"
router = Router(tags=["执行案件"], auth=django_auth)

FILING_ROLES = {Role.JUDGE, Role.CLERK, Role.TEAM_LEAD, Role.SYSADMIN}


def _staff(request: HttpRequest) -> Any:
    if not is_staff_user(request.user):
        raise PermissionDenied("仅限法院工作人员使用。")
    return request.user


class PartyOut(Schema):
    id: int
    role: str = Field(
        description="申请执行人 applicant / 被执行人 respondent / 第三人 third_party / 案外人 outsider"
    )
    kind: str
    name: str
    id_kind: str
    id_number_masked: str = Field(description="居民身份证号码隐去出生日期；单位代码完整显示")
    legal_representative: str

    @staticmethod
    def resolve_id_number_masked(obj: Party) -> str:
        return obj.masked_id


class CaseOut(Schema):
    id: int
    number: str
    court: str
    court_id: int
    cause: str
    filed_on: date
    basis_title: str
    basis_issuer: str
    basis_number: str
    basis_effective_on: date | None
    amount: str | None = Field(description="申请执行标的（元），字符串，精确到分")
    status: str
    status_label: str
    closure_method: str
    judge: str | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_court(obj: EnforcementCase) -> str:
        return obj.court.name

    @staticmethod
    def resolve_amount(obj: EnforcementCase) -> str | None:
        return None if obj.amount is None else f"{obj.amount:.2f}"

    @staticmethod
    def resolve_status_label(obj: EnforcementCase) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_judge(obj: EnforcementCase) -> str | None:
        return str(obj.judge) if obj.judge else None

    @staticmethod
    def resolve_parties(obj: EnforcementCase) -> list[Party]:
        return list(obj.parties.all())


class CaseFilter(Schema):
    number: str = ""
    party: str = ""
    status: str = ""
    filed_from: date | None = None
    filed_to: date | None = None
    court_id: int | None = None


class PartyIn(Schema):
    role: str
    kind: str
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    legal_representative: str = ""


class CaseIn(Schema):
    court_id: int
    number: str = Field(description="如（2024）鲁0102执123号")
    filed_on: date
    basis_title: str = ""
    basis_issuer: str
    basis_number: str
    basis_effective_on: date | None = None
    amount: str | None = Field(None, description='申请执行标的（元），如 "12345.67"')
    cause: str = ""
    parties: list[PartyIn]


@router.get("", response=list[CaseOut], summary="案件查询")
@paginate(PageNumberPagination, page_size=20)
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    user = _staff(request)
    return selectors.case_search(user=user, **filters.dict())


@router.get("{case_id}", response=CaseOut, summary="案件详情")
def case_get(request: HttpRequest, case_id: int) -> Any:
    user = _staff(request)
    return get_object_or_404(selectors.case_search(user=user), pk=case_id)


@router.post("", response={201: CaseOut}, summary="立案")
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    user = _staff(request)
    court = Court.objects.filter(pk=payload.court_id).first()
    if court is None or not (staff_roles(user=user, court=court) & FILING_ROLES):
        raise PermissionDenied("您无权在该法院立案。")
    case = services.case_file(
        actor=user,
        court=court,
        number=payload.number,
        filed_on=payload.filed_on,
        basis_title=payload.basis_title,
        basis_issuer=payload.basis_issuer,
        basis_number=payload.basis_number,
        basis_effective_on=payload.basis_effective_on,
        amount=payload.amount,
        cause=payload.cause,
        parties=[services.PartyInput(**p.dict()) for p in payload.parties],
    )
    return Status(201, selectors.case_search(user=user).get(pk=case.pk))
