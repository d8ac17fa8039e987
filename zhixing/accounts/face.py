"""1:1 face matching with dlib's ResNet face descriptor (the model ``face_recognition`` uses).

The models ship inside the ``face_recognition_models`` wheel, so nothing is downloaded at run time.
We call dlib directly (detector → 68-point shape → 128-d descriptor) instead of the ``face-recognition``
package, whose dependency on ``dlib`` would compile dlib from source; ``dlib-bin`` is the prebuilt wheel.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1024  # larger photos are scaled down before detection (phone cameras take 12+ megapixels)
MAX_PIXELS = 50_000_000  # refused before decoding: a small file may declare a huge picture (pixel flood)
_lock = threading.Lock()  # dlib models are not documented as thread-safe


class FaceImageError(ValueError):
    """The image cannot be used; ``str(err)`` is the Chinese message for the user."""


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any]:
    import dlib
    import face_recognition_models

    detector = dlib.get_frontal_face_detector()
    shape = dlib.shape_predictor(face_recognition_models.pose_predictor_model_location())
    encoder = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    return detector, shape, encoder


def load_rgb(data: bytes) -> np.ndarray:
    """Decode an uploaded photo (JPEG/PNG/WebP …), honour EXIF rotation, return an RGB array."""
    try:
        with Image.open(io.BytesIO(data)) as raw:
            if raw.width * raw.height > MAX_PIXELS:
                raise FaceImageError("照片像素过多，请重新拍摄或压缩后上传。")
            raw.load()
            image = ImageOps.exif_transpose(raw).convert("RGB")
    except FaceImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise FaceImageError("无法识别的图片，请上传 JPG 或 PNG 格式的照片。") from exc
    if min(image.size) < 80:
        raise FaceImageError("照片分辨率过低，请重新拍摄。")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.asarray(image)


def encode(image: np.ndarray, *, box: tuple[int, int, int, int] | None = None) -> np.ndarray | None:
    """The 128-d descriptor of the largest face (or of ``box`` = left, top, right, bottom); None if no face."""
    import dlib

    detector, shape, encoder = _models()
    with _lock:
        if box is None:
            found = detector(image, 1)
            if not found:
                return None
            rect = max(found, key=lambda r: r.width() * r.height())
        else:
            rect = dlib.rectangle(*box)
        landmarks = shape(image, rect)
        return np.array(encoder.compute_face_descriptor(image, landmarks, 1))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between descriptors; the same person is usually below 0.6."""
    return float(np.linalg.norm(a - b))
