"""Face images that ship inside the scikit-image wheel (never fetched): the astronaut portrait (public
domain) and LFW face crops of other people."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance


def _data_dir() -> Path:
    import skimage

    return Path(skimage.__file__).parent / "data"


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def portrait() -> bytes:
    """The 'ID-card portrait': the astronaut photo."""
    return _jpeg(Image.open(_data_dir() / "astronaut.png").convert("RGB"))


@lru_cache(maxsize=1)
def selfie_same_person() -> bytes:
    """The same person as a 'selfie': cropped, rescaled and brightened."""
    image = (
        Image.open(_data_dir() / "astronaut.png").convert("RGB").crop((100, 0, 400, 300)).resize((240, 240))
    )
    return _jpeg(ImageEnhance.Brightness(image).enhance(1.3))


def other_person(index: int) -> bytes:
    """An LFW face crop of someone else, upscaled and framed so the detector finds it."""
    faces = np.load(_data_dir() / "lfw_subset.npy")
    face = Image.fromarray((faces[index] * 255).astype("uint8")).convert("RGB").resize((150, 150))
    frame = Image.new("RGB", (300, 300), (128, 128, 128))
    frame.paste(face, (75, 75))
    return _jpeg(frame)


@lru_cache(maxsize=1)
def no_face() -> bytes:
    return _jpeg(Image.open(_data_dir() / "coffee.png").convert("RGB"))
