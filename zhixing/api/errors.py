"""Turn every kind of bad input into a 422 with Chinese messages, never a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhixing.lib.errors import error_dict

_PYDANTIC_MESSAGES = {
    "missing": "此项为必填项。",
    "string_type": "应为文本。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "float_parsing": "应为数字。",
    "decimal_parsing": "应为数字，如 12345.67。",
    "decimal_type": "应为数字，如 12345.67。",
    "date_from_datetime_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
    "date_parsing": "日期格式不正确，应为 YYYY-MM-DD。",
    "date_type": "日期格式不正确，应为 YYYY-MM-DD。",
    "datetime_parsing": "时间格式不正确。",
    "bool_parsing": "应为是或否。",
    "bool_type": "应为是或否。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "json_invalid": "请求内容不是有效的 JSON。",
    "enum": "取值不在允许的范围内。",
    "literal_error": "取值不在允许的范围内。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    # ninja nests the body under the parameter name; by convention body parameters are named "payload".
    return ".".join(parts) or "__all__"


def _message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message; pydantic prefixes "Value error, ".
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    return _PYDANTIC_MESSAGES.get(kind, "格式不正确。")


def unprocessable(api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    first = next(iter(errors.values()))[0] if errors else "提交的内容有误。"
    return api.create_response(request, {"detail": first, "errors": errors}, status=422)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def _ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = list(err.get("loc", []))
            errors.setdefault(_field_name(loc), []).append(_message(err))
        return unprocessable(api, request, errors)

    @api.exception_handler(ValidationError)
    def _django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return unprocessable(api, request, error_dict(exc))

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "无权访问。"}, status=403)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "未找到。"}, status=404)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": "请先登录。"}, status=401)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
