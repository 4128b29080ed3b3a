"""A photo attached to an observation keeps only its picture; files that cannot be used
are refused with a plain message. Every picture here is made in the test, with Pillow."""

from __future__ import annotations

import io
import struct
import tracemalloc
import warnings
import zipfile
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.ExifTags import GPS, IFD, Base
from PIL.PngImagePlugin import PngInfo

from collab_widgets.classroom.photos import (
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    CleanPhoto,
    clean_photo,
)
from collab_widgets.core.errors import InvalidInput

RED = (220, 30, 30)
BLUE = (30, 30, 220)
GREEN = (30, 200, 30)
METADATA_KEYS = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"}


def _encode(picture: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def _red_left_blue_right(size=(300, 200)) -> Image.Image:
    picture = Image.new("RGB", size, BLUE)
    picture.paste(RED, (0, 0, size[0] // 2, size[1]))
    return picture


def _noise(size=(200, 150)) -> Image.Image:
    return Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256 + 1))


def _spy_jpeg() -> bytes:
    """A JPEG carrying everything a phone puts in: GPS, camera, date, orientation, an ICC
    profile, XMP and a comment. Stored sideways: orientation 6 turns it 90° clockwise."""
    exif = Image.Exif()
    exif[Base.Make] = "SpyCamMaker"
    exif[Base.Model] = "SecretModel42"
    exif[Base.Orientation] = 6
    exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = "2026:10:15 09:30:00"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (52.0, 22.0, 1.5)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (4.0, 53.0, 42.25)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _encode(
        _red_left_blue_right(),
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"SecretComment",
        xmp=b"<x:xmpmeta>SecretXmp</x:xmpmeta>",
    )


def _jpeg_markers(data: bytes) -> list[int]:
    """The JPEG's segment markers up to the picture data (start of scan)."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length


def _opened(photo: CleanPhoto) -> Image.Image:
    picture = Image.open(io.BytesIO(photo.data))
    picture.load()
    return picture


def _close(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def _png_claiming(width: int, height: int) -> bytes:
    """A small valid PNG whose header is rewritten to claim ``width`` × ``height``."""
    data = bytearray(_encode(Image.new("1", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _message(data: bytes, name: str = "") -> str:
    with pytest.raises(InvalidInput) as caught:
        clean_photo(data, name)
    message = str(caught.value)
    assert "Traceback" not in message
    assert "cannot identify" not in message  # Pillow's own wording
    return message


# What is kept


def test_a_phone_jpeg_loses_every_piece_of_metadata():
    photo = clean_photo(_spy_jpeg(), "lesson.jpg")

    picture = _opened(photo)
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert not METADATA_KEYS & set(picture.info)
    for secret in (b"SpyCamMaker", b"SecretModel42", b"2026:10:15", b"Secret", b"Exif"):
        assert secret not in photo.data
    # only JFIF (APP0), tables and frame: no APP1 (EXIF, XMP), APP2 (ICC), APP13, COM
    assert set(_jpeg_markers(photo.data)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}


def test_a_phone_jpeg_is_turned_the_right_way_up():
    photo = clean_photo(_spy_jpeg())

    picture = _opened(photo)
    assert (photo.width, photo.height) == picture.size == (200, 300)
    # turned 90° clockwise: the stored left half (red) is now the top
    assert _close(picture.getpixel((100, 40)), RED)
    assert _close(picture.getpixel((100, 260)), BLUE)


def test_a_transparent_png_becomes_a_jpeg_on_white_without_its_text():
    picture = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    picture.paste((*GREEN, 255), (50, 0, 100, 80))
    text = PngInfo()
    text.add_text("Author", "SecretTeacher")
    text.add_text("Place", "SecretSchool", zip=True)
    text.add_itxt("Comment", "SecretNote", lang="en")

    photo = clean_photo(_encode(picture, "PNG", pnginfo=text), "work.png")

    assert photo.media_type == "image/jpeg"
    kept = _opened(photo)
    assert kept.format == "JPEG"
    assert kept.mode == "RGB"
    assert kept.size == (100, 80)
    assert _close(kept.getpixel((10, 40)), (255, 255, 255), tolerance=8)
    assert _close(kept.getpixel((90, 40)), GREEN)
    assert not METADATA_KEYS & set(kept.info)
    assert not {"Author", "Place", "Comment"} & set(kept.info)
    assert b"Secret" not in photo.data


def test_a_palette_png_with_a_transparent_colour_is_flattened_onto_white():
    picture = Image.new("P", (40, 40), 0)
    picture.putpalette([0, 0, 0, *GREEN])
    picture.paste(1, (20, 0, 40, 40))

    kept = _opened(clean_photo(_encode(picture, "PNG", transparency=0)))

    assert _close(kept.getpixel((5, 20)), (255, 255, 255), tolerance=8)
    assert _close(kept.getpixel((35, 20)), GREEN)


@pytest.mark.parametrize(
    ("size", "expected"),
    [((4000, 3000), (MAX_SIDE, 1200)), ((1000, 5000), (320, MAX_SIDE))],
)
def test_a_large_picture_is_scaled_down_to_max_side(size, expected):
    photo = clean_photo(_encode(_red_left_blue_right(size), "JPEG"))

    assert (photo.width, photo.height) == _opened(photo).size == expected


def test_a_small_picture_is_not_enlarged():
    photo = clean_photo(_encode(_red_left_blue_right((50, 40)), "PNG"))

    assert (photo.width, photo.height) == (50, 40)


def test_an_animated_webp_keeps_only_its_first_frame():
    frames = [Image.new("RGB", (60, 40), RED), Image.new("RGB", (60, 40), BLUE)]
    data = _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)

    kept = _opened(clean_photo(data, "moving.webp"))

    assert kept.format == "JPEG"
    assert getattr(kept, "n_frames", 1) == 1
    assert _close(kept.getpixel((30, 20)), RED)


def test_a_phone_mpo_jpeg_is_accepted_as_its_first_picture():
    frames = [Image.new("RGB", (60, 40), RED), Image.new("RGB", (60, 40), BLUE)]
    data = _encode(frames[0], "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    kept = _opened(clean_photo(data))

    assert kept.format == "JPEG"
    assert _close(kept.getpixel((30, 20)), RED)


@pytest.mark.parametrize("mode", ["L", "LA", "CMYK", "I;16", "1"])
def test_other_colour_modes_become_rgb(mode):
    fmt = "JPEG" if mode in ("L", "CMYK") else "PNG"

    kept = _opened(clean_photo(_encode(Image.new(mode, (30, 20)), fmt)))

    assert kept.mode == "RGB"
    assert kept.size == (30, 20)


# What is refused


def test_an_empty_file_is_refused():
    assert "is empty" in _message(b"", "photo.jpg")


def test_an_over_large_upload_is_refused_with_its_size_and_the_limit():
    data = _encode(_noise(), "JPEG")
    data += b"\0" * (MAX_UPLOAD_BYTES + 1 - len(data))

    message = _message(data, "huge.jpg")

    assert "“huge.jpg” is 8.1 MB" in message
    assert "at most 8 MB" in message


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "plan.pdf"),
        (b"Observation notes: students worked in pairs.\n", "notes.txt"),
        (b"PK\x03\x04", "photos.zip"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(data, name):
    message = _message(data, name)

    assert f"“{name}” is not a picture" in message
    assert "JPEG, PNG or WebP" in message


def test_a_real_zip_is_not_a_picture():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", _encode(_noise(), "JPEG"))

    assert "is not a picture" in _message(out.getvalue())


def test_an_iphone_heic_photo_is_refused_with_how_to_get_a_jpeg():
    heic_start = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64

    message = _message(heic_start, "IMG_0001.HEIC")

    assert "HEIC" in message
    assert "JPEG" in message


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "GIF"])
def test_a_picture_format_not_accepted_is_refused(fmt):
    message = _message(_encode(Image.new("RGB", (8, 8), RED), fmt), f"scan.{fmt.lower()}")

    assert f"is a {fmt} picture, which cannot be attached" in message
    assert "Save it as JPEG, PNG or WebP" in message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_picture_is_refused_as_damaged(fmt):
    data = _encode(_noise(), fmt)

    message = _message(data[: len(data) // 2], "cut")

    assert "damaged or incomplete" in message


def test_a_picture_with_only_its_first_bytes_is_refused():
    data = _encode(_noise(), "PNG")

    message = _message(data[:20])

    assert "damaged or incomplete" in message or "not a picture" in message


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (100_000, 100_000),  # beyond Pillow's own refusal
        (10_000, 10_000),  # where Pillow only warns
        (8_000, 8_000),  # under Pillow's limits, over ours
        (1, MAX_PIXELS + 1),
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(width, height):
    data = _png_claiming(width, height)
    assert len(data) < 200
    images_before = Image.core.get_stats()["new_count"]

    tracemalloc.start()
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            message = _message(data, "bomb.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "too large a picture" in message
    assert "24 million pixels" in message
    assert peak < 50 * 1024 * 1024
    assert Image.core.get_stats()["new_count"] == images_before  # no pixel memory made
    assert not seen  # Pillow's warning is turned into the message, not left to the log


def test_a_bomb_is_refused_even_when_pillows_own_limit_is_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    assert "too large a picture" in _message(_png_claiming(100_000, 100_000))


def test_the_module_leaves_pillows_limit_alone():
    pillows_limit = Image.MAX_IMAGE_PIXELS
    with pytest.raises(InvalidInput):
        clean_photo(_png_claiming(100_000, 100_000))
    clean_photo(_encode(_noise(), "JPEG"))

    assert pillows_limit == Image.MAX_IMAGE_PIXELS
    assert pillows_limit > MAX_PIXELS


def test_the_output_is_a_valid_jpeg():
    photo = clean_photo(_encode(_noise((640, 480)), "PNG"), "noise.png")

    assert photo.data[:3] == b"\xff\xd8\xff"
    assert photo.data[-2:] == b"\xff\xd9"
    with Image.open(io.BytesIO(photo.data)) as picture:
        picture.verify()
    kept = _opened(photo)
    assert (kept.format, kept.mode, kept.size) == ("JPEG", "RGB", (640, 480))
    assert (photo.width, photo.height, photo.media_type) == (640, 480, "image/jpeg")
