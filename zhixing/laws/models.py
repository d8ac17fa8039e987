"""Laws, their dated versions, structure (编/章/节) and articles.

Each article stores its text tokenized into CJK bigrams (``tokens``) and the bigrams of its law's title
and aliases (``title_tokens``); a full-text index over both columns is created per database vendor in the
migrations (SQLite FTS5 table ``laws_article_fts``, PostgreSQL GIN expression index).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Law(models.Model):
    title = models.CharField("名称", max_length=200, unique=True)
    category = models.CharField("类别", max_length=40, db_index=True)
    aliases = models.JSONField("简称", default=list, blank=True)
    repealed = models.BooleanField("已废止", default=False)
    repeal_note = models.CharField("废止说明", max_length=300, blank=True)

    class Meta:
        ordering = ["category", "title"]
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"

    def __str__(self) -> str:
        return self.title

    def in_force_version(self) -> LawVersion | None:
        return self.versions.filter(in_force=True).first()


class LawVersion(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="versions")
    date = models.DateField("版本日期", null=True, blank=True)
    event = models.CharField("事件", max_length=10, blank=True)  # 公布/通过/修正/修订/施行
    subtitle = models.CharField("副标题", max_length=200, blank=True)
    history = models.JSONField("沿革", default=list, blank=True)  # date/event lines of the header
    preamble = models.TextField("序言/公告", blank=True)
    in_force = models.BooleanField("现行有效", default=False, db_index=True)
    source_name = models.CharField("来源文件", max_length=300, blank=True)
    article_count = models.PositiveIntegerField("条文数", default=0)

    class Meta:
        ordering = ["law", "-date"]
        constraints = [models.UniqueConstraint(fields=["law", "date"], name="law_version_unique_date")]
        verbose_name = "法律版本"
        verbose_name_plural = "法律版本"

    def __str__(self) -> str:
        return f"{self.law.title}（{self.label}）"

    def get_absolute_url(self) -> str:
        return reverse("laws:version", args=[self.pk])

    @property
    def label(self) -> str:
        if self.date is None:
            return "现行文本"
        return f"{self.date:%Y-%m-%d} {self.event}".strip()


class LawNode(models.Model):
    """A heading of the structure (编/分编/章/节, or another part such as 附则/附件)."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField("层级", max_length=8)
    title = models.CharField("标题", max_length=200)
    depth = models.PositiveSmallIntegerField("深度", default=1)
    position = models.PositiveIntegerField("顺序")

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "章节"
        verbose_name_plural = "章节"

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"node-{self.position}"


class Article(models.Model):
    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="articles")
    # Denormalised for filtering without joins in the full-text queries.
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    node = models.ForeignKey(
        LawNode, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    number = models.CharField("条号", max_length=30)  # 第二百六十四条
    index = models.PositiveIntegerField("条序号", db_index=True)  # 264
    sub_index = models.PositiveSmallIntegerField("之几", default=0)  # 第十条之一 -> 1
    text = models.TextField("条文")
    position = models.PositiveIntegerField("顺序")
    path = models.CharField("所在章节", max_length=400, blank=True)
    tokens = models.TextField("检索词元", blank=True)
    title_tokens = models.TextField("标题词元", blank=True)
    token_count = models.PositiveIntegerField("词元数", default=0)

    class Meta:
        ordering = ["version", "position"]
        indexes = [models.Index(fields=["version", "index", "sub_index"], name="laws_art_ver_idx")]
        verbose_name = "条文"
        verbose_name_plural = "条文"

    def __str__(self) -> str:
        return f"{self.law.title} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("laws:version", args=[self.version_id]) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"art-{self.index}" + (f"-{self.sub_index}" if self.sub_index else "")

    @property
    def body(self) -> str:
        """The text without the leading article number."""
        return self.text[len(self.number) :].lstrip() if self.text.startswith(self.number) else self.text
