"""Workbench editing: who may write, preview, publish and withdraw; forms, uploads, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import MembershipFactory, StaffFactory
from zhixing.audit.models import AuditEvent
from zhixing.content import services
from zhixing.content.models import Article
from zhixing.courts.models import Role

from .conftest import FAKE_MP4, png_bytes

pytestmark = pytest.mark.django_db


def _form(channels: Any, world: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "执行动态标题",
        "summary": "",
        "body": "<p>正文第一段</p>",
        "channel": str(channels["news"].pk),
        "court": str(world.court.pk),
        "region_code": "",
        "publish_at": "",
    }
    data.update(extra)
    return data


def test_anonymous_is_redirected_to_login(client: Any) -> None:
    response = client.get("/workbench/content/")
    assert response.status_code == 302 and "/workbench/login/" in response["Location"]
    response = client.get("/workbench/content/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and "HX-Redirect" in response


@pytest.mark.parametrize("who", ["judge", "team_lead", "approver"])
def test_other_staff_may_not(who: str, world: Any, as_user: Any, make_article: Any, channels: Any) -> None:
    article = make_article()
    client = as_user(getattr(world, who))
    assert client.get("/workbench/content/").status_code == 403
    assert client.get("/workbench/content/new/").status_code == 403
    assert client.post("/workbench/content/new/", _form(channels, world)).status_code == 403
    assert client.post(f"/workbench/content/{article.pk}/withdraw/").status_code == 403
    assert Article.objects.count() == 1


def test_public_user_may_not(world: Any, as_user: Any) -> None:
    assert as_user(world.party).get("/workbench/content/").status_code == 403


def test_nav_entry_only_for_editors(world: Any, publicity: Any) -> None:
    from zhixing.lib.nav import workbench_items

    def labels(user: Any) -> list[str]:
        return [
            item.url_name
            for section, items in workbench_items(user)
            if section == "内容管理"
            for item in items
        ]

    assert "content_wb:articles" in labels(publicity)
    assert "content_wb:articles" in labels(world.admin)
    assert "content_wb:articles" not in labels(world.judge)


def test_publicity_writes_previews_and_publishes(
    world: Any, as_user: Any, publicity: Any, channels: Any, client: Any
) -> None:
    editor = as_user(publicity)
    assert editor.get("/workbench/content/new/").status_code == 200
    response = editor.post(
        "/workbench/content/new/",
        {**_form(channels, world), "cover": SimpleUploadedFile("a.png", png_bytes((1600, 900)), "image/png")},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.created_by == publicity
    assert article.cover.name.endswith(".jpg")
    from PIL import Image

    with article.cover.open("rb") as fh, Image.open(fh) as img:
        assert img.format == "JPEG" and img.width == 1280
    assert client.get(f"/content/articles/{article.pk}/").status_code == 404  # draft: public may not
    preview = editor.get(f"/workbench/content/{article.pk}/")
    assert preview.status_code == 200 and "正文第一段" in preview.content.decode()
    # the editor may also see the draft on the portal page (preview)
    assert "预览" in editor.get(f"/content/articles/{article.pk}/").content.decode()
    assert editor.post(f"/workbench/content/{article.pk}/publish/").status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.publish_at is not None
    assert client.get(f"/content/articles/{article.pk}/").status_code == 200
    assert (
        editor.post(f"/workbench/content/{article.pk}/withdraw/", {"reason": "信息有误"}).status_code == 302
    )
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert client.get(f"/content/articles/{article.pk}/").status_code == 404
    actions = list(
        AuditEvent.objects.filter(object_type="content.article", object_id=str(article.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["content.article_create", "content.article_publish", "content.article_withdraw"]
    assert "撤回" in editor.get(f"/workbench/content/{article.pk}/").content.decode()


def test_schedule_by_publish_time(world: Any, publicity: Any, channels: Any, as_user: Any) -> None:
    when = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    editor = as_user(publicity)
    editor.post("/workbench/content/new/", _form(channels, world, publish_at=when))
    article = Article.objects.get()
    editor.post(f"/workbench/content/{article.pk}/publish/")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED and article.publish_at > timezone.now()
    assert not article.is_live


def test_form_errors_rerender_with_422(world: Any, publicity: Any, channels: Any, as_user: Any) -> None:
    editor = as_user(publicity)
    response = editor.post("/workbench/content/new/", _form(channels, world, title="", body=""))
    assert response.status_code == 422
    assert "请填写标题" in response.content.decode() or "这个字段是必填项" in response.content.decode()
    response = editor.post(
        "/workbench/content/new/", _form(channels, world, channel=str(channels["recommended"].pk))
    )
    assert response.status_code == 422  # computed channels cannot hold articles
    assert Article.objects.count() == 0


def test_cover_upload_checked_by_content(world: Any, publicity: Any, channels: Any, as_user: Any) -> None:
    editor = as_user(publicity)
    fake = SimpleUploadedFile("cover.jpg", b"<?php echo 1; ?> not an image", "image/jpeg")
    response = editor.post("/workbench/content/new/", {**_form(channels, world), "cover": fake})
    assert response.status_code == 422 and "不是有效的图片" in response.content.decode()
    bmp = SimpleUploadedFile("c.bmp", _bmp(), "image/bmp")
    response = editor.post("/workbench/content/new/", {**_form(channels, world), "cover": bmp})
    assert response.status_code == 422 and "JPG、PNG、WebP 或 GIF" in response.content.decode()
    assert Article.objects.count() == 0


def _bmp() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    return out.getvalue()


def test_video_upload_checked_by_signature(world: Any, publicity: Any, channels: Any, as_user: Any) -> None:
    editor = as_user(publicity)
    bad = SimpleUploadedFile("v.mp4", b"MZ\x90\x00 this is an exe" * 10, "video/mp4")
    response = editor.post("/workbench/content/new/", {**_form(channels, world), "video": bad})
    assert response.status_code == 422 and "MP4" in response.content.decode()
    good = SimpleUploadedFile("v.mp4", FAKE_MP4, "video/mp4")
    response = editor.post(
        "/workbench/content/new/",
        {**_form(channels, world, channel=str(channels["video"].pk)), "video": good},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.video_type == "video/mp4" and article.video.name.endswith(".mp4")
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 100
    response = editor.post(
        f"/workbench/content/{article.pk}/edit/",
        {**_form(channels, world), "video": SimpleUploadedFile("x.webm", webm, "video/webm")},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.video_type == "video/webm"


def test_editor_may_not_touch_other_courts(
    world: Any, publicity: Any, channels: Any, as_user: Any, make_article: Any
) -> None:
    foreign = make_article(court=world.other_court, status=Article.Status.DRAFT, title="外院草稿")
    editor = as_user(publicity)
    assert editor.get(f"/workbench/content/{foreign.pk}/").status_code == 403
    assert editor.get(f"/workbench/content/{foreign.pk}/edit/").status_code == 403
    assert editor.post(f"/workbench/content/{foreign.pk}/publish/").status_code == 403
    assert "外院草稿" not in editor.get("/workbench/content/").content.decode()
    assert editor.get(f"/content/articles/{foreign.pk}/").status_code == 404  # no preview either
    # nor create an article for another court
    response = editor.post("/workbench/content/new/", _form(channels, world, court=str(world.other_court.pk)))
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert foreign.status == Article.Status.DRAFT


def test_sysadmin_may_edit_at_own_court(world: Any, as_user: Any, make_article: Any, channels: Any) -> None:
    article = make_article(status=Article.Status.DRAFT)
    client = as_user(world.admin)
    assert client.get(f"/workbench/content/{article.pk}/edit/").status_code == 200
    assert client.post(f"/workbench/content/{article.pk}/publish/").status_code == 302


def test_inactive_membership_loses_access(world: Any, channels: Any, as_user: Any) -> None:
    user = StaffFactory(username="former_pub")
    MembershipFactory(user=user, court=world.court, role=Role.PUBLICITY, is_active=False)
    assert as_user(user).get("/workbench/content/").status_code == 403


def test_service_refuses_non_editor(world: Any, channels: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.article_save(
            actor=world.judge, channel=channels["news"], court=world.court, title="x", body="y"
        )


def test_list_filters(world: Any, publicity: Any, as_user: Any, make_article: Any) -> None:
    make_article(title="已发布的文章")
    make_article(title="一篇草稿", status=Article.Status.DRAFT)
    editor = as_user(publicity)
    html = editor.get("/workbench/content/?status=draft").content.decode()
    assert "一篇草稿" in html and "已发布的文章" not in html
    html = editor.get("/workbench/content/?q=已发布").content.decode()
    assert "已发布的文章" in html and "一篇草稿" not in html
