"""A small HTTP client for talking to a real server process: cookies, CSRF header, JSON and multipart;
never raises on an HTTP status (the tests assert on it)."""

from __future__ import annotations

import http.cookiejar
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    def __init__(self, base: str, timeout: float = 30) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def cookie(self, name: str) -> str:
        for c in self.jar:
            if c.name == name:
                return c.value or ""
        return ""

    def request(
        self, method: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        hdrs = {"Referer": self.base + "/", **(headers or {})}
        token = self.cookie("csrftoken")
        if token and method != "GET":
            hdrs.setdefault("X-CSRFToken", token)
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)  # noqa: S310
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return Reply(resp.status, resp.read(), dict(resp.headers.items()))
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.read(), dict(exc.headers.items()))

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, payload: Any) -> Reply:
        return self.request(
            "POST",
            path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )

    def post_multipart(
        self,
        path: str,
        fields: dict[str, str],
        files: list[tuple[str, str, bytes, str]],
        accept: str = "application/json",
    ) -> Reply:
        boundary = "----zx" + secrets.token_hex(8)
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for field, filename, content, ctype in files:
            parts.append(
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n"
                ).encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Accept": accept,
            },
        )

    def csrf(self) -> None:
        self.get("/api/v1/accounts/csrf")

    def login_public(self, phone: str, password: str) -> Reply:
        self.csrf()
        reply = self.post_json("/api/v1/accounts/login", {"phone": phone, "password": password})
        self.csrf()  # login rotates the CSRF token
        return reply
