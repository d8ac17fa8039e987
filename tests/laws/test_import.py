from __future__ import annotations

import gzip
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhixing.laws.importer import import_builtin, import_dir
from zhixing.laws.models import Article, Law, LawNode, LawVersion

CPL = "中华人民共和国民事诉讼法"


def test_builtin_set_has_the_enforcement_laws(laws: None) -> None:
    cpl = Law.objects.get(title=CPL)
    assert cpl.category == "诉讼与非诉讼程序法"
    assert "民诉法" in cpl.aliases
    versions = {str(v.date): v.in_force for v in cpl.versions.all()}
    assert versions == {"2023-09-01": True, "2021-12-24": False}
    art = Article.objects.get(version__law=cpl, version__in_force=True, index=250)
    assert art.number == "第二百五十条"
    assert "申请执行的期间为二年" in art.text
    assert art.path.startswith("第三编 执行程序")
    civil = LawVersion.objects.get(law__title="中华人民共和国民法典")
    assert civil.article_count == 1260  # the 编 files are merged into one version
    assert LawNode.objects.filter(version=civil, depth=1).count() == 8
    for title in [
        "最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释",
        "最高人民法院关于在执行工作中如何计算迟延履行期间的债务利息等问题的批复",
        "最高人民法院关于限制被执行人高消费及有关消费的若干规定",
        "诉讼费用交纳办法",
        "中华人民共和国刑法",
    ]:
        assert Law.objects.get(title=title).versions.filter(in_force=True).exists(), title


def test_in_force_and_repealed(laws: None) -> None:
    old = Law.objects.get(title="最高人民法院关于限制被执行人高消费的若干规定")
    assert old.repealed and not old.versions.filter(in_force=True).exists()
    dishonest = Law.objects.get(title="最高人民法院关于公布失信被执行人名单信息的若干规定")
    assert dishonest.versions.get(in_force=True).date.isoformat() == "2017-02-28"
    loans = Law.objects.get(title="最高人民法院关于审理民间借贷案件适用法律若干问题的规定")
    assert [str(v.date) for v in loans.versions.filter(in_force=True)] == ["2020-12-29"]
    assert loans.versions.count() == 3


def test_reimport_is_idempotent(laws: None) -> None:
    before = Article.objects.count()
    result = import_builtin()
    assert result.versions_created == 0 and result.articles == 0
    assert Article.objects.count() == before


def _write(path: Path, text: str, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")


def test_import_command_with_progress(db: Any, tmp_path: Path) -> None:
    body = "# 中华人民共和国测试法\n\n{d} 通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 {t}\n\n第二条 执行。\n"
    _write(tmp_path / "测试类" / "测试法(2001-01-01).md", body.format(d="2001年1月1日", t="旧文本"))
    _write(tmp_path / "测试类" / "测试法(2011-01-01).md", body.format(d="2011年1月1日", t="新文本"), gz=True)
    _write(tmp_path / "测试类" / "_index.md", "---\nx: 1\n---")
    out = StringIO()
    call_command("import_laws", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "2/2 100.0%" in text and "完成：2 个文件" in text
    law = Law.objects.get(title="中华人民共和国测试法")
    assert law.category == "测试类" and law.aliases == ["测试法"]
    current = law.versions.get(in_force=True)
    assert str(current.date) == "2011-01-01"
    assert current.articles.get(index=1).text == "第一条 新文本"
    again = import_dir(tmp_path)
    assert again.versions_created == 0 and again.versions_skipped == 2


def test_import_command_rejects_missing_dir(db: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_laws", str(tmp_path / "nope"), stdout=StringIO())


def test_same_file_in_two_categories_is_one_version(db: Any, tmp_path: Path) -> None:
    body = "# 中华人民共和国重复法\n\n2015年1月1日 通过\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第二条 乙。\n"
    _write(tmp_path / "甲类" / "重复法(2015-01-01).md", body)
    _write(tmp_path / "乙类" / "重复法(2015-01-01).md", body)
    import_dir(tmp_path)
    version = LawVersion.objects.get(law__title="中华人民共和国重复法")
    assert version.article_count == 2
    assert sorted(version.articles.values_list("index", flat=True)) == [1, 2]
