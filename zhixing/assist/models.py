"""常见问题解答: categories, expert answers and their legal basis (cited articles)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class FaqCategory(models.Model):
    slug = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    order = models.PositiveSmallIntegerField("顺序", default=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "问答类别"
        verbose_name_plural = "问答类别"

    def __str__(self) -> str:
        return self.name


class Faq(models.Model):
    code = models.CharField("编号", max_length=20, unique=True)
    category = models.ForeignKey(FaqCategory, on_delete=models.PROTECT, related_name="faqs")
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("解答")
    keywords = models.JSONField("关键词", default=list, blank=True)
    order = models.PositiveIntegerField("顺序", default=100)
    is_published = models.BooleanField("发布", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["category__order", "order", "id"]
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("assist:faq-detail", args=[self.code])


class FaqBasis(models.Model):
    """A legal basis of an answer: a law (title or alias) and an article number, resolved to the article of
    the version in force when shown; ``quote`` is a phrase of that article the answer relies on."""

    faq = models.ForeignKey(Faq, on_delete=models.CASCADE, related_name="basis")
    law_ref = models.CharField("法规（名称或简称）", max_length=200)
    article_index = models.PositiveIntegerField("条")
    sub_index = models.PositiveSmallIntegerField("之几", default=0)
    quote = models.CharField("依据原文摘句", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["faq", "order", "id"]
        verbose_name = "法律依据"
        verbose_name_plural = "法律依据"

    def __str__(self) -> str:
        return f"{self.law_ref}第{self.article_index}条"
