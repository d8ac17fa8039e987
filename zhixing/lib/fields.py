"""Model fields for personal data encrypted at rest."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from zhixing.lib import crypto


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext; Python code sees the plaintext. Not searchable: pair with a blind index."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("v1:"):
            return crypto.decrypt(value)
        return value


class EncryptedJSONField(models.TextField):
    """A JSON value stored as AES-GCM ciphertext, for documents people type that hold identity and phone numbers.

    Python code sees the decoded value (dict, list …). Not searchable. Values written before the field was
    encrypted (plain JSON text) are still read, and re-encrypted on the next save.
    """

    # django-stubs: the attribute holds JSON values, not text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def _load(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = crypto.decrypt(value) if value.startswith("v1:") else value
        return json.loads(text) if text else None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else self._load(value)

    def to_python(self, value: Any) -> Any:
        return self._load(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, cls=DjangoJSONEncoder)
