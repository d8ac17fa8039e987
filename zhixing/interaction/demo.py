"""Demo 执行互动 for the verified demo party (张伟): a replied message thread, a waiting message, a clue
waiting for review, a reviewed clue and a suggestion (idempotent: nothing is added twice)."""

from __future__ import annotations

from typing import Any

from zhixing.cases.models import Party


def seed(out: Any) -> None:
    from zhixing.cases.demo import VERIFIED_PARTY
    from zhixing.lib import crypto

    from . import services
    from .integration import PortalActor
    from .models import Clue, Message, Opinion

    party = (
        Party.objects.filter(id_index=crypto.blind_index(VERIFIED_PARTY[1]), user__isnull=False)
        .select_related("case", "case__judge", "user")
        .order_by("case__filed_on", "case_id")
        .first()
    )
    if party is None or party.user is None:
        out.write("  执行互动：无已实名的演示当事人，跳过")
        return
    user, case = party.user, party.case
    actor = PortalActor(user=user, label=user.real_name)
    if Message.objects.filter(author=user, case=case).exists():
        out.write("  执行互动：演示数据已存在")
        return
    first = services.message_post(actor=actor, case=case, body="请问目前查控到被执行人哪些财产？")
    if case.judge is not None:
        services.message_reply(
            actor=case.judge, message=first, reply="已冻结被执行人银行存款，正在办理扣划手续。"
        )
    services.message_post(actor=actor, case=case, body="被执行人近期有出售房产的打算，请注意。")
    services.clue_submit(
        actor=actor, case=case, body="被执行人在历下区某小区有一处房产，近期挂牌出售。", files=[], urgent=True
    )
    reviewed = services.clue_submit(
        actor=actor, case=case, body="被执行人名下车辆常停放在单位停车场。", files=[]
    )
    if case.judge is not None:
        services.clue_review(
            actor=case.judge,
            clue=reviewed,
            outcome=Clue.Outcome.CONFIRMED,
            result="经核查属实，已依法扣押该车辆。",
        )
    services.opinion_submit(
        actor=actor,
        court=case.court,
        kind=Opinion.Kind.SUGGESTION,
        body="建议在服务台公布执行款发放进度。",
        case=case,
    )
    out.write(f"  执行互动：{case.number} 留言 2 条、线索 2 条、意见建议 1 条")
