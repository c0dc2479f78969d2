"""Photos of reports: checked to be images, limited in size, re-encoded without metadata.

A resident's photo often carries the phone's EXIF block, GPS position included.
Every photo is decoded with Pillow and written again (JPEG, or PNG when it has
transparency), which keeps the pixels and drops every piece of metadata; the
orientation the phone recorded is applied first, so the picture stays upright.
Large photos are scaled down to :data:`MAX_SIDE` pixels on their long side.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from geo.errors import GridmapError

MAX_BYTES = 5 * 1024 * 1024  # what a person may upload
MAX_PIXELS = 40_000_000  # a bigger canvas is a decompression bomb, not a photo
MAX_SIDE = 2048  # long side of the stored photo
JPEG_QUALITY = 85
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO")
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "gif", "bmp"]


class PhotoError(GridmapError):
    """A file that cannot be kept as a report's photo."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: its new bytes, media type and size in pixels."""

    data: bytes
    mime: str
    width: int
    height: int
    name: str | None = None


def prepare_photo(data: bytes, name: str | None = None) -> PreparedPhoto:
    """Check an uploaded file and re-encode it as a clean photo.

    Parameters
    ----------
    data
        The uploaded bytes.
    name
        The file's name, for messages and to keep with the photo.

    Returns
    -------
    PreparedPhoto
        JPEG (PNG for images with transparency), at most :data:`MAX_SIDE` pixels on
        the long side, with no EXIF, GPS or other metadata.

    Raises
    ------
    PhotoError
        For an empty file, one over :data:`MAX_BYTES`, one that is not an image
        Pillow can read, or an image too large to decode safely.
    """
    shown = name or "?"
    size = len(data or b"")
    if size == 0:
        raise PhotoError("reports.photo.empty", name=shown)
    if size > MAX_BYTES:
        raise PhotoError(
            "reports.photo.too_large",
            name=shown,
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{MAX_BYTES // 1024 // 1024}",
        )
    image = _open(data, shown)
    try:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        out = io.BytesIO()
        if transparent:
            clean = image.convert("RGBA")
            clean.save(out, format="PNG", optimize=True)
            mime = "image/png"
        else:
            clean = image.convert("RGB")
            clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            mime = "image/jpeg"
    except (OSError, ValueError) as exc:
        raise PhotoError("reports.photo.not_image", name=shown, reason=_one_line(exc)) from None
    return PreparedPhoto(out.getvalue(), mime, clean.width, clean.height, name)


def _open(data: bytes, shown: str) -> Image.Image:
    """The decoded first frame of ``data``; PhotoError for anything else."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoError(
                    "reports.photo.not_image", name=shown, reason=str(image.format or "?")
                )
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(
                    "reports.photo.too_many_pixels",
                    name=shown,
                    width=image.width,
                    height=image.height,
                )
            image.load()
        except PhotoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(
                "reports.photo.too_many_pixels", name=shown, width="?", height="?"
            ) from None
        except UnidentifiedImageError:
            raise PhotoError(
                "reports.photo.not_image",
                name=shown,
                reason=GridmapError("reports.photo.unknown_format"),
            ) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise PhotoError("reports.photo.not_image", name=shown, reason=_one_line(exc)) from None
    return image


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
