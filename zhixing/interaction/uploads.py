"""Upload handling for clue files: every file streams to a temporary file on disk (never held in memory),
and a file larger than the largest allowed size is dropped while it arrives instead of being written out."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest

from . import media

TOO_LARGE_ATTR = "_interaction_too_large"


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max(media.image_max_bytes(), media.video_max_bytes())
        self.received = 0
        if request is not None:
            setattr(request, TOO_LARGE_ATTR, [])

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            if self.request is not None:
                getattr(self.request, TOO_LARGE_ATTR, []).append(self.file_name or "")
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)


def install(request: HttpRequest) -> None:
    """Call before request.POST / request.FILES are read (the view must be csrf_exempt + csrf_protect)."""
    request.upload_handlers = [LimitedTemporaryFileUploadHandler(request)]


def too_large_names(request: HttpRequest) -> list[str]:
    return list(getattr(request, TOO_LARGE_ATTR, []))
