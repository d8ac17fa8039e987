"""Errors raised by services for input a person must correct (rendered as 422 with Chinese messages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """Normalise any ValidationError to {field: [messages]}; non-field errors go under '__all__'."""
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for m in ValidationError(errors).messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}
