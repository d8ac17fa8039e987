"""The single exception type raised for bad input.

Every problem with the caller's input (negative amounts, end before start, a payment after the end date,
a date outside the known rate tables, an unknown payload key, ...) raises :class:`CalculationError`.
The web layer can turn it into an HTTP 422 with ``{"field": ..., "message": ...}``; the message is
Simplified Chinese and meant to be shown to the user as is.
"""

from __future__ import annotations


class CalculationError(ValueError):
    """Bad input to a calculator.

    ``field`` names the offending input using the payload's own key path (e.g. ``"payments[0].amount"``),
    ``message`` is a user-facing Simplified-Chinese explanation.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}
