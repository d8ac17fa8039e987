"""Reads for the FAQ pages (public)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Faq, FaqCategory


def categories_with_faqs() -> QuerySet[FaqCategory]:
    return FaqCategory.objects.prefetch_related(
        Prefetch("faqs", queryset=Faq.objects.filter(is_published=True).order_by("order", "id"))
    ).order_by("order", "id")


def faq_get(code: str) -> Faq | None:
    return Faq.objects.select_related("category").filter(code=code, is_published=True).first()


def hotline_url() -> str | None:
    """The portal 客服 page when the content app provides it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("content:hotline")
    except NoReverseMatch:
        return None
