"""Password rules beyond Django's built-in validators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    """How many of the four classes (lower-case, upper-case, digits, other symbols) the password uses."""
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class CharacterClassesValidator:
    """Court staff passwords mix at least ``min_classes`` of the four classes (等保三级 complexity).

    Public accounts are not held to composition rules (length and the common-password list apply to them).
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if user is not None and getattr(user, "kind", "staff") != "staff":
            return
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"工作人员密码须包含大写字母、小写字母、数字、特殊符号中的至少{self.min_classes}类。"
