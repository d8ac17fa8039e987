"""Demo courts, teams and staff (see README for the accounts)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from .models import ApproverTitle, Court, Membership, Role, Team, TeamType

DEMO_PASSWORD = "Zhixing@2026"

TEAM_TYPES = [
    ("asset_control", "财产查控", 10),
    ("asset_disposal", "财产处置", 20),
    ("fund_distribution", "案款分配", 30),
    ("closing_archive", "结案归档", 40),
    ("field", "外勤", 50),
]

COURTS = [
    # name, level, parent, region, province, case code, phone
    ("山东省高级人民法院", Court.Level.HIGH, None, "370000", "山东省", "鲁", "0531-12368"),
    ("山东省济南市中级人民法院", Court.Level.INTERMEDIATE, "鲁", "370100", "山东省", "鲁01", "0531-12368"),
    ("济南市历下区人民法院", Court.Level.BASIC, "鲁01", "370102", "山东省", "鲁0102", "0531-12368"),
    ("济南市市中区人民法院", Court.Level.BASIC, "鲁01", "370103", "山东省", "鲁0103", "0531-12368"),
]

# username, display name, court code, team type code or None, role, approver title
STAFF = [
    ("judge_wang", "王建国", "鲁0102", "asset_control", Role.JUDGE, ""),
    ("judge_li", "李晓东", "鲁0102", "asset_control", Role.JUDGE, ""),
    ("lead_zhang", "张志强", "鲁0102", "asset_control", Role.TEAM_LEAD, ""),
    ("judge_zhao", "赵海燕", "鲁0102", "asset_disposal", Role.JUDGE, ""),
    ("lead_qian", "钱鹏飞", "鲁0102", "asset_disposal", Role.TEAM_LEAD, ""),
    ("judge_chen", "陈思远", "鲁0102", "fund_distribution", Role.JUDGE, ""),
    ("judge_liu", "刘雨桐", "鲁0102", "closing_archive", Role.JUDGE, ""),
    ("field_wu", "吴俊杰", "鲁0102", "field", Role.FIELD_OFFICER, ""),
    ("clerk_he", "何静", "鲁0102", "asset_control", Role.CLERK, ""),
    ("chief_sun", "孙明", "鲁0102", None, Role.APPROVER, ApproverTitle.BUREAU_CHIEF),
    ("president_zhou", "周正", "鲁0102", None, Role.APPROVER, ApproverTitle.PRESIDENT),
    ("president_zhou", "周正", "鲁0102", None, Role.COURT_LEADER, ""),
    ("publicity_xu", "徐晨曦", "鲁0102", None, Role.PUBLICITY, ""),
    ("admin", "系统管理员", "鲁0102", None, Role.SYSADMIN, ""),
    ("judge_ma", "马天佑", "鲁0103", "asset_control", Role.JUDGE, ""),
    ("lead_gao", "高一鸣", "鲁0103", "asset_control", Role.TEAM_LEAD, ""),
    ("judge_luo", "罗嘉怡", "鲁01", "asset_control", Role.JUDGE, ""),
]


def seed(out: Any) -> None:
    types = {}
    for code, name, order in TEAM_TYPES:
        types[code], _ = TeamType.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    courts: dict[str, Court] = {}
    for name, level, parent, region, province, case_code, phone in COURTS:
        courts[case_code], _ = Court.objects.update_or_create(
            case_code=case_code,
            defaults={
                "name": name,
                "level": level,
                "parent": courts.get(parent) if parent else None,
                "region_code": region,
                "province": province,
                "phone": phone,
            },
        )
    for court in courts.values():
        if court.level == Court.Level.HIGH:
            continue
        for tt in types.values():
            Team.objects.get_or_create(court=court, name=f"{tt.name}团队", defaults={"team_type": tt})
    User = get_user_model()
    for username, display, court_code, team_type, role, title in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, DEMO_PASSWORD, kind=User.Kind.STAFF, display_name=display
            )
        if role == Role.SYSADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        court = courts[court_code]
        team = Team.objects.get(court=court, team_type__code=team_type) if team_type else None
        Membership.objects.get_or_create(
            user=user, court=court, team=team, role=role, defaults={"approver_title": title}
        )
    out.write(f"  法院 {len(courts)} 家，工作人员 {len({s[0] for s in STAFF})} 名")
