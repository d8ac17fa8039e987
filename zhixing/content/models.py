"""执行头条 (news channels and articles), 执行权利义务告知 (guide items) and 客服 hotlines."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhixing.courts.models import Court

region_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字。")


class Channel(models.Model):
    """A tab of 执行头条. Topic and video channels hold articles; the others are computed feeds."""

    class Kind(models.TextChoices):
        FOLLOWING = "following", "关注（按用户关注的频道和法院）"
        RECOMMENDED = "recommended", "推荐（按新鲜度和热度）"
        LOCAL = "local", "本地（按用户所在地区）"
        VIDEO = "video", "视频（含视频的文章）"
        TOPIC = "topic", "专栏"

    slug = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    order = models.PositiveSmallIntegerField("顺序", default=100)
    description = models.CharField("说明", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "头条频道"
        verbose_name_plural = "头条频道"

    def __str__(self) -> str:
        return self.name

    @property
    def holds_articles(self) -> bool:
        return self.kind in (self.Kind.TOPIC, self.Kind.VIDEO)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    channel = models.ForeignKey(
        Channel,
        verbose_name="频道",
        on_delete=models.PROTECT,
        related_name="articles",
        limit_choices_to={"kind__in": [Channel.Kind.TOPIC, Channel.Kind.VIDEO]},
    )
    title = models.CharField("标题", max_length=80)
    summary = models.CharField("摘要", max_length=200, blank=True)
    # Stored already sanitised by services.article_save; rendered through sanitise again (defence in depth).
    body = models.TextField("正文", blank=True)
    cover = models.ImageField("封面图", upload_to="content/covers/%Y/%m/", blank=True)
    video = models.FileField("视频", upload_to="content/videos/%Y/%m/", blank=True)
    video_type = models.CharField("视频类型", max_length=20, blank=True)
    court = models.ForeignKey(
        Court, verbose_name="来源法院", on_delete=models.PROTECT, related_name="articles"
    )
    region_code = models.CharField("地区代码", max_length=6, validators=[region_validator])
    publish_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    # status in (scheduled, published), kept by save(): one equality column lets the feed indexes serve
    # "live, newest first" without sorting the whole table.
    is_public = models.BooleanField(default=False, editable=False)
    views = models.PositiveIntegerField("阅读量", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="编辑", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [
            # Partial indexes: SQLite and PostgreSQL both use them for "WHERE is_public … ORDER BY publish_at".
            models.Index(
                fields=["publish_at", "id"], name="content_article_live", condition=Q(is_public=True)
            ),
            models.Index(
                fields=["channel", "publish_at", "id"],
                name="content_article_channel",
                condition=Q(is_public=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(publish_at__isnull=False),
                name="content_article_live_has_time",
            )
        ]
        verbose_name = "头条文章"
        verbose_name_plural = "头条文章"

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_public = self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED)
        fields = kwargs.get("update_fields")
        if fields is not None and "status" in fields:
            kwargs["update_fields"] = {*fields, "is_public"}
        super().save(*args, **kwargs)

    @property
    def is_live(self) -> bool:
        return (
            self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED)
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def effective_status(self) -> str:
        """A scheduled article whose time has come is published; no background job has to flip it."""
        if self.status == self.Status.SCHEDULED and self.is_live:
            return self.Status.PUBLISHED
        return self.status

    @property
    def effective_status_label(self) -> str:
        return self.Status(self.effective_status).label


class Follow(models.Model):
    """What a logged-in user follows (关注): a channel or a court. Anonymous visitors use a signed cookie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_follows"
    )
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    court = models.ForeignKey(Court, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel__isnull=False) & Q(court__isnull=True))
                | (Q(channel__isnull=True) & Q(court__isnull=False)),
                name="content_follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "channel"], name="content_follow_unique_channel"),
            models.UniqueConstraint(fields=["user", "court"], name="content_follow_unique_court"),
        ]
        verbose_name = "关注"
        verbose_name_plural = "关注"

    def __str__(self) -> str:
        return f"{self.user} → {self.channel or self.court}"


class GuideItem(models.Model):
    """执行权利义务告知: an explanatory article or a question with its answer, for one audience."""

    class Audience(models.TextChoices):
        APPLICANT = "applicant", "申请执行人"
        RESPONDENT = "respondent", "被执行人"
        BOTH = "both", "双方当事人"

    class Kind(models.TextChoices):
        ARTICLE = "article", "告知"
        QA = "qa", "问答"

    slug = models.SlugField("代码", max_length=60, unique=True)
    audience = models.CharField("对象", max_length=12, choices=Audience.choices)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("标题/问题", max_length=120)
    body = models.TextField("正文/回答", help_text="段落之间空一行；可用“- ”开头列出要点。")
    basis = models.CharField("法律依据", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=100)
    is_published = models.BooleanField("发布", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "权利义务告知"
        verbose_name_plural = "权利义务告知"

    def __str__(self) -> str:
        return self.title


class Hotline(models.Model):
    """客服 numbers. A row without a court is the site-wide default; a court's own rows replace it."""

    class Kind(models.TextChoices):
        SERVICE = "service", "服务热线"
        ALL_DAY = "all_day", "24小时无休服务热线"

    court = models.ForeignKey(
        Court, verbose_name="法院", null=True, blank=True, on_delete=models.CASCADE, related_name="hotlines"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    number = models.CharField(
        "号码",
        max_length=20,
        validators=[RegexValidator(r"^[0-9+][0-9-]{2,19}$", "号码只能包含数字、“-”和开头的“+”。")],
    )
    hours = models.CharField("服务时间", max_length=60, blank=True)
    note = models.CharField("说明", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "kind", "number"], name="content_hotline_unique"),
        ]
        verbose_name = "客服热线"
        verbose_name_plural = "客服热线"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def tel(self) -> str:
        return self.number.replace("-", "")
