from __future__ import annotations

import io
from typing import Any

from zhixing.interaction import demo
from zhixing.interaction.models import Clue, Message, Opinion


def test_demo_seed_is_idempotent(world: Any) -> None:
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    assert Message.objects.filter(author=world.party, thread__isnull=True).count() == 2
    assert Message.objects.filter(replied_at__isnull=False).count() == 1
    assert Clue.objects.filter(status="checked").count() == 1 and Clue.objects.count() == 2
    assert Opinion.objects.count() == 1
    assert "已存在" in out.getvalue()
