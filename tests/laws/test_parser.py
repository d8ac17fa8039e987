from __future__ import annotations

import datetime as dt

from zhixing.laws.parser import parse_text

SAMPLE = """# 中华人民共和国示例法

2021年12月24日 第十三届全国人民代表大会常务委员会第三十二次会议第四次修正

2023年9月1日 第十四届全国人民代表大会常务委员会第五次会议第五次修正

<!-- INFO END -->

## 第三编 执行程序

\u200b

### 第十九章 一般规定

第二百三十五条 发生法律效力的民事判决、裁定，由第一审人民法院执行。

第二百五十条 申请执行的期间为二年。

前款规定的期间，从法律文书规定履行期间的最后一日起计算。

### 第二十章 执行措施

#### 第一节 一般规定

第二百五十条之一 示例条文。
"""


def test_parse_structure_and_articles() -> None:
    doc = parse_text(SAMPLE, source_name="示例法(2023-09-01).md")
    assert doc.title == "中华人民共和国示例法"
    assert doc.version_date == dt.date(2023, 9, 1)
    assert doc.version_event == "修正"
    assert [(n.level, n.depth) for n in doc.nodes] == [("编", 1), ("章", 2), ("章", 2), ("节", 3)]
    numbers = [(a.number, a.index, a.sub_index) for a in doc.articles]
    assert numbers == [("第二百三十五条", 235, 0), ("第二百五十条", 250, 0), ("第二百五十条之一", 250, 1)]
    assert doc.articles[1].text.endswith("最后一日起计算。")
    assert "\n" in doc.articles[1].text


def test_reply_items_and_digit_numbering() -> None:
    reply = "# 某批复\n\n<!-- INFO END -->\n\n经研究，批复如下：\n\n一、第一点。\n\n二、第二点。\n"
    doc = parse_text(reply)
    assert [a.number for a in doc.articles] == ["一、", "二、"]
    assert doc.preamble == "经研究，批复如下："
    digits = "# 某规定\n\n<!-- INFO END -->\n\n## 一、机构\n\n1.第一项。\n\n2.第二项。\n\n（1）细目\n"
    doc = parse_text(digits)
    assert [(a.number, a.index) for a in doc.articles] == [("第1条", 1), ("第2条", 2)]
    assert doc.articles[1].text.endswith("（1）细目")


def test_lines_that_only_mention_an_article_are_not_articles() -> None:
    text = "# 决定\n\n<!-- INFO END -->\n\n第一条增加第二款：“……”\n\n第一条 正文。\n"
    doc = parse_text(text)
    assert [a.number for a in doc.articles] == ["第一条"]
    assert doc.preamble.startswith("第一条增加")
