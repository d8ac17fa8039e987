"""Seed a minimal world into whatever database DATABASE_URL names (a private cluster of a fault test):
a court, its team and judge, a verified party with one case. Prints JSON for the test.

    python -m tests.faults.seed
"""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    from tests.factories import (
        CourtFactory,
        MembershipFactory,
        StaffFactory,
        TeamFactory,
        TeamTypeFactory,
        make_case,
        public_user,
    )
    from zhixing.cases.services import party_link_user
    from zhixing.courts.models import Role

    court = CourtFactory(name="济南市历下区人民法院", case_code="鲁0102", region_code="370102")
    team = TeamFactory(
        court=court, team_type=TeamTypeFactory(code="asset_control", name="财产查控", order=10)
    )
    judge = StaffFactory(username="judge_fault", display_name="judge_fault")
    MembershipFactory(user=judge, court=court, team=team, role=Role.JUDGE)
    party = public_user("13900000011", verified_as=("张伟", "37010219850307123X"), password="Strong#Pass2024")
    case = make_case(court=court, sequence=1, applicant=("张伟", "37010219850307123X"), judge=judge)
    party_link_user(actor=None, user=party)
    print(json.dumps({"phone": "13900000011", "password": "Strong#Pass2024", "case_id": case.pk}))


if __name__ == "__main__":
    main()
