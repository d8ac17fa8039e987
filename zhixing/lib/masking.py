"""Masking of personal identifiers wherever they leave the server."""

from __future__ import annotations


def mask_resident_id(number: str | None) -> str:
    """Hide at least the eight birth-date digits: 370102********1234."""
    if not number:
        return ""
    if len(number) == 18:
        return f"{number[:6]}{'*' * 8}{number[14:]}"
    if len(number) == 15:
        return f"{number[:6]}{'*' * 6}{number[12:]}"
    return "*" * len(number)


def mask_mobile(number: str | None) -> str:
    if not number:
        return ""
    return f"{number[:3]}****{number[-4:]}" if len(number) == 11 else "*" * len(number)


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜 — for places where even a name should not be shown whole."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
