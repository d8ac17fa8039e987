"""factory_boy factories for the domain core."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from zhixing.accounts.models import User
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.services import PartyInput, case_file
from zhixing.courts.models import Court, Membership, Team, TeamType
from zhixing.lib import synth

_rng = random.Random(7)


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("case_code",)

    name = factory.Sequence(lambda n: f"测试区人民法院{n}")
    level = Court.Level.BASIC
    region_code = "370102"
    province = "山东省"
    case_code = factory.Sequence(lambda n: f"鲁{(n % 9000) + 1000:04d}")


class TeamTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamType
        django_get_or_create = ("code",)

    code = "asset_control"
    name = "财产查控"
    order = 10


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    court = factory.SubFactory(CourtFactory)
    team_type = factory.SubFactory(TeamTypeFactory)
    name = factory.Sequence(lambda n: f"团队{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    kind = User.Kind.STAFF
    display_name = factory.Sequence(lambda n: f"法官{n}")
    password = factory.PostGenerationMethodCall("set_password", "Strong#Pass2024")

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(StaffFactory)
    court = factory.SubFactory(CourtFactory)
    team = None
    role = "judge"


def public_user(
    phone: str, *, verified_as: tuple[str, str] | None = None, password: str = "Strong#Pass2024"
) -> User:
    user = User.objects.create_public_user(phone=phone, password=password)
    if verified_as:
        user.set_identity(real_name=verified_as[0], id_number=verified_as[1])
        user.verified_at = timezone.now()
        user.save()
    return user


def make_case(
    *,
    court: Court,
    sequence: int,
    applicant: tuple[str, str] | None = None,
    respondent: tuple[str, str] | None = None,
    respondent_unit: tuple[str, str] | None = None,
    judge: User | None = None,
    amount: str = "100000.00",
    filed_on: date | None = None,
) -> EnforcementCase:
    filed = filed_on or (timezone.localdate() - timedelta(days=30))
    parties = [
        PartyInput(
            role="applicant",
            kind="natural",
            name=(applicant or ("申请人", synth.resident_id(_rng)))[0],
            id_number=(applicant or ("", synth.resident_id(_rng)))[1],
        ),
    ]
    if respondent_unit:
        parties.append(
            PartyInput(role="respondent", kind="legal", name=respondent_unit[0], id_number=respondent_unit[1])
        )
    else:
        r = respondent or (synth.chinese_name(_rng), synth.resident_id(_rng))
        parties.append(PartyInput(role="respondent", kind="natural", name=r[0], id_number=r[1]))
    return case_file(
        actor=judge,
        court=court,
        number=f"（{filed.year}）{court.case_code}执{sequence}号",
        filed_on=filed,
        basis_issuer=court.name,
        basis_number=f"（{filed.year}）{court.case_code}民初1号",
        amount=amount,
        parties=parties,
        judge=judge,
    )


def party_of(case: EnforcementCase, role: str) -> Party:
    return case.parties.get(role=role)
