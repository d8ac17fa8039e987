"""Data every install starts with: the eight channels, the guide texts and the national hotline.
Rows that exist already are left alone, so edits made in the admin survive.

Used by migration 0002 (with historical models) and by demo.seed; idempotent."""

from __future__ import annotations

from typing import Any

from .guide_data import ITEMS

# slug, name, kind, order, description — the first five are the manual's (§3.1.1), the last three a court's.
CHANNELS = [
    ("following", "关注", "following", 10, "您关注的频道和法院的文章"),
    ("recommended", "推荐", "recommended", 20, "按新鲜度和阅读热度推荐"),
    ("film-people", "影视·人物", "topic", 30, "执行干警、执行故事与影视作品"),
    ("local", "本地", "local", 40, "您所在地区法院的文章"),
    ("video", "视频", "video", 50, "执行现场与普法短视频"),
    ("news", "执行动态", "topic", 60, "法院执行工作动态"),
    ("cases", "典型案例", "topic", 70, "执行典型案例与以案释法"),
    ("exposure", "曝光台", "topic", 80, "失信被执行人曝光与悬赏公告"),
]

# 12368 is the people's courts' national litigation service hotline.
DEFAULT_HOTLINES = [("service", "12368", "工作日 9:00—17:00", "全国法院诉讼服务热线", 10)]


def load(Channel: Any, GuideItem: Any, Hotline: Any) -> None:
    for slug, name, kind, order, description in CHANNELS:
        Channel.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "order": order, "description": description}
        )
    for order, (slug, audience, kind, title, body, basis) in enumerate(ITEMS, start=1):
        GuideItem.objects.get_or_create(
            slug=slug,
            defaults={
                "audience": audience,
                "kind": kind,
                "title": title,
                "body": body,
                "basis": basis,
                "order": order * 10,
            },
        )
    for kind, number, hours, note, order in DEFAULT_HOTLINES:
        Hotline.objects.get_or_create(
            court=None, kind=kind, number=number, defaults={"hours": hours, "note": note, "order": order}
        )
