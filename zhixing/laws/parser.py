"""Parse one Markdown law file of the corpus (pure, no Django).

Format: ``# title``, optional ``# subtitle``, date/event lines, ``<!-- INFO END -->``, then ``##``/``###``
headings for 编/章/节 and paragraphs starting 第X条 (continuation paragraphs belong to the article above).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from zhixing.lib.cjk import cn_to_int

CN_NUM = "零〇一二三四五六七八九十百千两"
ARTICLE_RE = re.compile(rf"^第([{CN_NUM}]+|[0-9]+)条(?:之([{CN_NUM}]+))?(?:[\s\u3000]+|$)")
# Replies (批复) without 第X条 number their points 一、二、…
ITEM_RE = re.compile(rf"^([{CN_NUM}]+)、")
# Some older interpretations number their provisions 1. 2. … (cited as 第1条, 第2条)
DIGIT_RE = re.compile(r"^([0-9]{1,3})[.．](?![0-9])")
HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*$")
LEVEL_RE = re.compile(rf"^第[{CN_NUM}0-9]+(分编|编|章|节)")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
FILE_DATE_RE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)\s*$")
INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")

EVENTS = ["修正", "修订", "施行", "公布", "通过"]


@dataclass
class ParsedNode:
    level: str  # 编 / 分编 / 章 / 节 / 部分
    title: str
    depth: int  # 1 = top
    position: int


@dataclass
class ParsedArticle:
    number: str  # 第二百六十四条 / 第十条之一
    index: int
    sub_index: int
    text: str  # full text including the number
    position: int
    node_position: int | None  # position of the innermost heading above it


@dataclass
class DateLine:
    date: dt.date
    event: str
    text: str


@dataclass
class ParsedDoc:
    title: str
    subtitle: str = ""
    date_lines: list[DateLine] = field(default_factory=list)
    preamble: str = ""
    nodes: list[ParsedNode] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    file_date: dt.date | None = None
    source_name: str = ""

    @property
    def version_date(self) -> dt.date | None:
        if self.file_date:
            return self.file_date
        if self.date_lines:
            return max(d.date for d in self.date_lines)
        return None

    @property
    def version_event(self) -> str:
        date = self.version_date
        for line in reversed(self.date_lines):
            if line.date == date:
                return line.event
        return "公布"


def _event(text: str) -> str:
    for word in EVENTS:
        if word in text:
            return word
    return "公布"


def _parse_date(text: str) -> dt.date | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _clean(line: str) -> str:
    return line.translate(INVISIBLE).strip()


def parse_text(text: str, source_name: str = "") -> ParsedDoc:
    doc = _parse(text, source_name, ARTICLE_RE)
    if not doc.articles:
        candidates = [_parse(text, source_name, ITEM_RE), _parse(text, source_name, DIGIT_RE)]
        best = max(candidates, key=lambda d: len(d.articles))
        if best.articles:
            return best
        if doc.preamble:
            # No numbered provisions at all: keep the whole text as one searchable provision.
            doc.articles.append(
                ParsedArticle(
                    number="全文", index=0, sub_index=0, text=doc.preamble, position=1, node_position=None
                )
            )
            doc.preamble = ""
    return doc


def _parse(text: str, source_name: str, article_re: re.Pattern[str]) -> ParsedDoc:
    text = text.replace("\r\n", "\n")
    if text.startswith("---"):
        # Front matter (the corpus' _index.md files): drop it.
        end = text.find("---", 3)
        if end != -1:
            text = text[end + 3 :]
    head, sep, body = text.partition("<!-- INFO END -->")
    if not sep:
        head, body = "", text
    titles: list[str] = []
    date_lines: list[DateLine] = []
    for raw in head.split("\n"):
        line = _clean(raw)
        if not line:
            continue
        m = HEADING_RE.match(line)
        if m and len(m.group(1)) == 1:
            titles.append(m.group(2))
            continue
        date = _parse_date(line)
        if date:
            date_lines.append(DateLine(date=date, event=_event(line), text=line.strip("（）() ")))
    doc = ParsedDoc(title=titles[0] if titles else "", subtitle=" ".join(titles[1:]), date_lines=date_lines)
    doc.source_name = source_name
    if source_name:
        m = FILE_DATE_RE.search(Path(source_name).stem)
        if m:
            doc.file_date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))

    preamble: list[str] = []
    current: ParsedArticle | None = None
    current_lines: list[str] = []
    position = 0
    node_position: int | None = None

    def flush() -> None:
        nonlocal current, current_lines
        if current is not None:
            current.text = "\n".join(current_lines)
            doc.articles.append(current)
        current, current_lines = None, []

    for raw in body.split("\n"):
        line = _clean(raw)
        if not line:
            continue
        hm = HEADING_RE.match(line)
        if hm:
            title = re.sub(r"\s+", " ", hm.group(2)).strip()
            if not title:
                continue
            depth = len(hm.group(1))
            if depth == 1 and not doc.title:
                doc.title = title
                continue
            flush()
            lm = LEVEL_RE.match(title)
            level = lm.group(1) if lm else "部分"
            position += 1
            doc.nodes.append(ParsedNode(level=level, title=title, depth=max(depth - 1, 1), position=position))
            node_position = position
            continue
        am = article_re.match(line)
        if am:
            index = cn_to_int(am.group(1))
            if index is not None:
                flush()
                sub = cn_to_int(am.group(2)) if am.lastindex and am.lastindex >= 2 and am.group(2) else 0
                position += 1
                if article_re is ITEM_RE:
                    number = f"{am.group(1)}、"
                elif article_re is DIGIT_RE:
                    number = f"第{am.group(1)}条"
                else:
                    number = f"第{am.group(1)}条" + (f"之{am.group(2)}" if am.group(2) else "")
                current = ParsedArticle(
                    number=number,
                    index=index,
                    sub_index=sub or 0,
                    text="",
                    position=position,
                    node_position=node_position,
                )
                current_lines = [line]
                continue
        if current is not None:
            current_lines.append(line)
        else:
            preamble.append(line)
    flush()
    doc.preamble = "\n".join(preamble)
    return doc


def parse_file(path: Path, text: str | None = None) -> ParsedDoc:
    if text is None:
        text = path.read_text(encoding="utf-8")
    return parse_text(text, source_name=path.name)
