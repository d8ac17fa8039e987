from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from zhixing.assist import qa
from zhixing.assist.loader import DATA_DIR


def test_laolai_high_speed_rail(knowledge: None) -> None:
    ans = qa.ask("老赖能坐高铁吗")
    assert ans.confident
    best = ans.matches[0]
    assert "限制消费" in best.faq.question or "限制消费" in best.faq.answer
    assert "动车组" in best.faq.answer
    labels = [c.label for c in best.citations]
    assert "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条" in labels
    assert any(a.number == "第三条" and "动车组" in a.text for a in ans.articles)
    words = {w for w, _ in ans.expansions}
    assert "老赖" in words and any("高铁" in w for w in words)


def test_no_good_answer_is_said_plainly(knowledge: None) -> None:
    for q in ["今天天气怎么样", "手机话费怎么充值"]:
        ans = qa.ask(q)
        assert not ans.confident and ans.matches == []


def test_validation() -> None:
    with pytest.raises(ValidationError):
        qa.ask("  ")
    with pytest.raises(ValidationError):
        qa.ask("问" * 101)


def test_expansion_is_data_driven() -> None:
    assert ("老赖", ("失信被执行人", "失信")) in qa.expand("老赖能坐高铁吗")
    assert qa.expand("今天天气怎么样") == []


def test_devset_quality_floor(knowledge: None) -> None:
    """A floor, not the measurement (bench/assist_eval.py reports the figures)."""
    dev = [
        d
        for d in json.loads((DATA_DIR / "devset.json").read_text(encoding="utf-8"))["items"]
        if d["expected"]
    ]
    top3 = sum(1 for d in dev if d["expected"] in [f.code for f, _ in qa.rank_faqs(d["q"])[:3]])
    assert top3 / len(dev) >= 0.85
