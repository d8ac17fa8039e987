from __future__ import annotations

from typing import Any

from django import forms

from zhixing.courts.models import Court

from .models import Article, Channel


class ArticleForm(forms.Form):
    title = forms.CharField(label="标题", max_length=80)
    summary = forms.CharField(
        label="摘要", max_length=200, required=False, help_text="留空则取正文开头80字。"
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="可使用 HTML：段落 p、小标题 h2/h3、加粗 strong、列表 ul/ol/li、引用 blockquote、表格、链接和图片；脚本和样式会被自动去除。",
    )
    channel = forms.ModelChoiceField(label="频道", queryset=Channel.objects.none())
    court = forms.ModelChoiceField(label="来源法院", queryset=Court.objects.none())
    region_code = forms.CharField(
        label="地区代码", max_length=6, required=False, help_text="6位行政区划代码；留空则用来源法院所在地。"
    )
    publish_at = forms.DateTimeField(
        label="发布时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="定时发布时填写将来的时间；留空则在点击“发布”时立即发布。",
    )
    cover = forms.FileField(
        label="封面图", required=False, help_text="JPG、PNG、WebP 或 GIF，不超过10MB，系统会统一转为 JPG。"
    )
    video = forms.FileField(label="视频", required=False, help_text="MP4（H.264）或 WebM。")
    remove_video = forms.BooleanField(label="删除已上传的视频", required=False)

    def __init__(self, *args: Any, courts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            is_active=True, kind__in=[Channel.Kind.TOPIC, Channel.Kind.VIDEO]
        )
        self.fields["court"].queryset = courts  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "channel": article.channel_id,
            "court": article.court_id,
            "region_code": article.region_code,
            "publish_at": article.publish_at,
        }
