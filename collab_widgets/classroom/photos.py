"""A photo of student work attached to an observation note, made safe to keep.

A phone photo carries more than the picture: where it was taken (GPS), the camera's make
and model, the date, sometimes a small copy of the original picture. None of that belongs
in a team's notes about students, so only the picture is kept: it is decoded, turned the
right way up, shrunk to a size a page needs, and written again as a plain JPEG with no
metadata at all. Files that are not pictures, too big, damaged, or small files claiming
to be enormous pictures are refused with a message that says what to do instead.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from collab_widgets.core.errors import InvalidInput

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
"""The largest file accepted, as uploaded."""

MAX_PIXELS = 24_000_000
"""The largest picture accepted once decoded (width × height), read from the file's header
before any pixel is decoded: a few kilobytes can claim a picture too big for memory."""

MAX_SIDE = 1600
"""The kept picture's longer side, at most, in pixels."""

JPEG_QUALITY = 85

ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
"""Pillow's names for the formats accepted. MPO is the JPEG many phones write (a photo
with extra pictures after it); only its first picture is read."""

_ACCEPTED_WORDS = "JPEG, PNG or WebP"
_MB = 1024 * 1024
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


@dataclass(frozen=True)
class CleanPhoto:
    """The picture alone, as a JPEG: no location, camera, date or any other metadata."""

    data: bytes
    media_type: str
    width: int
    height: int


def clean_photo(data: bytes, name: str = "") -> CleanPhoto:
    """Check an uploaded photo and keep only its picture: upright, at most ``MAX_SIDE``
    pixels on its longer side, re-encoded as a JPEG without metadata.

    ``name`` is the file's name as uploaded, used only in messages. Raises
    ``InvalidInput`` with a plain-language message when the file cannot be used.
    """
    name = name.strip()
    the_file = f"“{name}”" if name else "The file"
    if not data:
        raise InvalidInput(f"{the_file} is empty. Choose the photo again, or take a new one.")
    if len(data) > MAX_UPLOAD_BYTES:
        size_mb = math.ceil(len(data) * 10 / _MB) / 10
        raise InvalidInput(
            f"{the_file} is {size_mb:.1f} MB; a photo can be at most {MAX_UPLOAD_BYTES // _MB} "
            "MB. Take the photo at a lower resolution, or shrink it, and attach it again."
        )
    # Pillow warns of, or refuses, a picture over its own limit as it reads the header:
    # both become the same message. Our own, lower limit is checked below either way.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput(_too_big(the_file)) from None
        except UnidentifiedImageError:
            if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
                raise InvalidInput(
                    f"{the_file} is a HEIC photo (the iPhone's own format), which cannot be "
                    "attached here. Share or export it as a JPEG (on the iPhone: Settings › "
                    "Camera › Formats › Most Compatible) and attach it again."
                ) from None
            raise InvalidInput(
                f"{the_file} is not a picture. Attach a photo in {_ACCEPTED_WORDS} format."
            ) from None
        except Exception as exc:  # a header Pillow recognises but cannot make sense of
            raise InvalidInput(_damaged(the_file)) from exc
        with picture:
            if picture.format not in ACCEPTED_FORMATS:
                raise InvalidInput(
                    f"{the_file} is a {picture.format} picture, which cannot be attached "
                    f"here. Save it as {_ACCEPTED_WORDS} and attach it again."
                )
            width, height = picture.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(_too_big(the_file))
            try:
                kept = _only_the_picture(picture)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise InvalidInput(_too_big(the_file)) from None
            except Exception as exc:  # truncated or damaged, in whichever way Pillow says so
                raise InvalidInput(_damaged(the_file)) from exc
    out = io.BytesIO()
    kept.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(out.getvalue(), "image/jpeg", kept.width, kept.height)


def _only_the_picture(picture: Image.Image) -> Image.Image:
    """The first frame, upright, flattened onto white, shrunk, in a new image that carries
    nothing of the file's metadata (a converted copy would keep ``info``, e.g. a comment)."""
    picture.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode at a reduced scale
    upright = ImageOps.exif_transpose(picture)
    if upright.has_transparency_data:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return Image.frombytes("RGB", flat.size, flat.tobytes())


def _too_big(the_file: str) -> str:
    return (
        f"{the_file} is too large a picture: at most {MAX_PIXELS // 1_000_000} million pixels "
        "can be attached. Shrink it and attach it again."
    )


def _damaged(the_file: str) -> str:
    return (
        f"{the_file} is damaged or incomplete, so the picture cannot be read. Save or send "
        "the photo again, then attach the new copy."
    )


THUMBNAIL_SIDE = 200  # small: the notes list is sent again when a note is added


def thumbnail(kept: bytes) -> bytes:
    """A small copy of a kept photo (one :func:`clean_photo` made) for a list of notes."""
    with Image.open(io.BytesIO(kept)) as picture:
        picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        out = io.BytesIO()
        picture.convert("RGB").save(out, "JPEG", quality=70)
    return out.getvalue()
