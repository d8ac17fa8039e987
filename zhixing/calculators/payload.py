"""Small helpers for reading JSON request bodies into calculator calls (field paths in errors)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import CalculationError


def check_keys(payload: object, allowed: set[str] | frozenset[str], prefix: str = "") -> Mapping[str, Any]:
    """``payload`` must be a JSON object whose keys are all in ``allowed`` (typos are reported, not ignored)."""
    if not isinstance(payload, Mapping):
        raise CalculationError(prefix.rstrip(".") or "body", "请求内容应为JSON对象。")
    for key in payload:
        if key not in allowed:
            raise CalculationError(f"{prefix}{key}", f"不支持的字段“{key}”。")
    return payload


def require(payload: Mapping[str, Any], key: str, label: str, prefix: str = "") -> Any:
    value = payload.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CalculationError(f"{prefix}{key}", f"请填写{label}。")
    return value


def object_list(payload: Mapping[str, Any], key: str, prefix: str = "") -> list[Mapping[str, Any]]:
    """A list of JSON objects under ``key`` (missing or null = empty list)."""
    value = payload.get(key)
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise CalculationError(f"{prefix}{key}", "应为列表。")
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise CalculationError(f"{prefix}{key}[{index}]", "列表中的每一项应为JSON对象。")
    return list(value)
