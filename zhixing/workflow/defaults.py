"""The manual's defaults for the stage engine (stages, transitions, matter catalogue, routing rule).

Used by ``ensure_defaults()`` (tests that flush the database, fresh installs); it only creates what is
missing, never overwrites a court's changes. Migration 0003 keeps its own frozen copy of these rows, as a
migration must not change when this module does.
"""

from typing import Any

STAGES = [
    # code, name, public name, order, team type, days, kind, documents label, final
    ("asset_control", "财产查控", "财产查控", 10, "asset_control", 30, "calendar", "查控文书", False),
    ("asset_disposal", "财产处置", "财产处置", 20, "asset_disposal", 90, "calendar", "处置文书", False),
    ("fund_distribution", "案款分配", "案款分配", 30, "fund_distribution", 30, "calendar", "案款文书", False),
    ("closing_archive", "结案归档", "结案归档", 40, "closing_archive", 15, "working", "结案文书", True),
]

TRANSITIONS = [
    # from, to, auction condition, order
    ("asset_control", "asset_disposal", "yes", 10),
    ("asset_control", "fund_distribution", "no", 10),
    ("asset_control", "closing_archive", "no", 20),
    ("asset_disposal", "fund_distribution", "any", 10),
    ("asset_disposal", "closing_archive", "any", 20),
    ("fund_distribution", "closing_archive", "any", 10),
]

MATTERS = [
    (
        "online",
        [
            ("online_notice", "告知"),
            ("online_seal", "查封"),
            ("online_freeze", "冻结"),
            ("online_seize", "扣押"),
        ],
    ),
    (
        "offline",
        [
            ("offline_investigate", "调查"),
            ("offline_summon", "传唤"),
            ("offline_search", "搜查"),
            ("offline_reward", "悬赏执行"),
            ("offline_audit", "司法审计鉴定"),
            ("offline_seal", "查封"),
            ("offline_freeze", "冻结"),
            ("offline_seize", "扣押"),
            ("offline_entrust", "委托调查"),
        ],
    ),
    (
        "coercive",
        [
            ("coercive_dishonest", "限消失信"),
            ("coercive_admonish", "训诫"),
            ("coercive_summons", "拘传"),
            ("coercive_fine", "罚款"),
            ("coercive_detention", "拘留"),
            ("coercive_exit_ban", "限制出境"),
        ],
    ),
    (
        "other",
        [
            ("other_recusal", "回避"),
            ("other_objection", "移送异议"),
            ("other_bankruptcy", "执转破"),
            ("other_petition", "信访"),
            ("other_supervision", "移送监督审查"),
            ("other_judges_meeting", "移送专业法官会议"),
            ("other_refusal_crime", "移送拒执罪"),
            ("other_custom", "领导自定义"),
        ],
    ),
]

# 强制措施 and 其他事项 are common to all four stages; 线上/线下 belong to 财产查控.
STAGE_CATEGORIES = {
    "asset_control": ["online", "offline", "coercive", "other"],
    "asset_disposal": ["coercive", "other"],
    "fund_distribution": ["coercive", "other"],
    "closing_archive": ["coercive", "other"],
}


DEFAULT_SET_NAME = "默认阶段配置（执行分段集约办理平台操作手册）"


def seed(apps: Any, schema_editor: Any = None) -> None:
    StageSet = apps.get_model("workflow", "StageSet")
    default_set, _ = StageSet.objects.get_or_create(is_default=True, defaults={"name": DEFAULT_SET_NAME})
    Stage = apps.get_model("workflow", "Stage")
    StageTransition = apps.get_model("workflow", "StageTransition")
    MatterType = apps.get_model("workflow", "MatterType")
    RoutingRule = apps.get_model("workflow", "RoutingRule")
    stages: dict[str, Any] = {}
    for code, name, public, order, team_type, days, kind, label, final in STAGES:
        stages[code], _ = Stage.objects.get_or_create(
            stage_set=default_set,
            code=code,
            defaults={
                "name": name,
                "public_name": public,
                "order": order,
                "team_type_code": team_type,
                "deadline_days": days,
                "deadline_kind": kind,
                "documents_label": label,
                "is_final": final,
            },
        )
    for src, dst, auction, order in TRANSITIONS:
        StageTransition.objects.get_or_create(
            from_stage=stages[src], to_stage=stages[dst], auction=auction, defaults={"order": order}
        )
    by_category: dict[str, list[Any]] = {}
    for category, items in MATTERS:
        for i, (code, name) in enumerate(items, start=1):
            mt, _ = MatterType.objects.get_or_create(
                code=code, defaults={"name": name, "category": category, "order": i * 10}
            )
            by_category.setdefault(category, []).append(mt)
    for stage_code, categories in STAGE_CATEGORIES.items():
        for category in categories:
            stages[stage_code].matter_types.add(*by_category[category])
    if not RoutingRule.objects.exists():
        RoutingRule.objects.create(
            name="首次执行、恢复执行案件进入分段集约执行",
            priority=100,
            case_types="执,执恢",
            enters_flow=True,
        )


def ensure_defaults() -> None:
    from django.apps import apps

    seed(apps)
