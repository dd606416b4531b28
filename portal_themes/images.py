"""Logos and favicons: whatever an admin uploads becomes a PNG we drew ourselves.

Raster images (PNG, JPEG, WebP, GIF) are decoded by Pillow and written again, resized, so
nothing of the uploaded file but its pixels survives. An SVG is never served as SVG (a
script or an outside reference inside it would run or load in a browser, a mail client or
the PDF renderer): it is parsed with defusedxml (no DTD, no entities), refused when it names
anything outside itself (an `href` not within the file, `url(...)` to elsewhere, script,
foreignObject), and rasterised by resvg, which runs no script and loads nothing from the
network, with no resource folder and our own font.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile

import resvg_py
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from portal_themes import error_codes

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
LOGO_BOX = (512, 256)  # the largest a logo is kept; the header shows it 48 px high
FAVICON_SIZE = 64
RASTER_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
_FORBIDDEN_SVG = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "animate", "set", "handler"}
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)

Image.MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def svg_check(data: bytes) -> None:
    """Refuses an SVG that is not well-formed XML or that points outside itself."""
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise _refuse("پرونده تصویر برداری خوانا نیست یا ساختار ناامن دارد.", error_codes.LOGO_SVG_INVALID) from error
    if _local_name(root.tag) != "svg":
        raise _refuse("پرونده تصویر برداری خوانا نیست یا ساختار ناامن دارد.", error_codes.LOGO_SVG_INVALID)
    for element in root.iter():
        if _local_name(str(element.tag)) in _FORBIDDEN_SVG:
            raise _refuse("تصویر برداری نشان نباید اسکریپت یا محتوای بیرونی داشته باشد.", error_codes.LOGO_SVG_UNSAFE)
        for name, value in element.attrib.items():
            local = _local_name(name)
            if local.startswith("on"):
                raise _refuse("تصویر برداری نشان نباید اسکریپت یا محتوای بیرونی داشته باشد.", error_codes.LOGO_SVG_UNSAFE)
            if local == "href" and not value.strip().startswith("#"):
                raise _refuse("تصویر برداری نشان نباید به پرونده یا نشانی دیگری پیوند داشته باشد.", error_codes.LOGO_SVG_UNSAFE)
            if _OUTSIDE_URL.search(value):
                raise _refuse("تصویر برداری نشان نباید به پرونده یا نشانی دیگری پیوند داشته باشد.", error_codes.LOGO_SVG_UNSAFE)
        if _local_name(str(element.tag)) == "style" and (_OUTSIDE_URL.search(element.text or "") or "@import" in (element.text or "")):
            raise _refuse("تصویر برداری نشان نباید به پرونده یا نشانی دیگری پیوند داشته باشد.", error_codes.LOGO_SVG_UNSAFE)


def svg_rasterise(data: bytes) -> Image.Image:
    svg_check(data)
    fonts = [str(settings.BASE_DIR / "static" / "fonts" / name) for name in ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")]
    with tempfile.TemporaryDirectory() as empty:
        try:
            png = resvg_py.svg_to_bytes(
                svg_string=data.decode("utf-8"), height=LOGO_BOX[1], skip_system_fonts=True,
                font_files=fonts, font_family="Vazirmatn", resources_dir=empty,
            )
        except (ValueError, UnicodeDecodeError) as error:
            raise _refuse("پرونده تصویر برداری خوانا نیست یا ساختار ناامن دارد.", error_codes.LOGO_SVG_INVALID) from error
    return Image.open(io.BytesIO(bytes(png)))


def _open_upload(upload) -> Image.Image:
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse("حجم پرونده نشان باید حداکثر ۲ مگابایت باشد.", error_codes.LOGO_TOO_LARGE)
    data = upload.read()
    head = data[:512].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in data[:2048].lower():
        return svg_rasterise(data)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise _refuse("پرونده تصویر شناخته‌شده‌ای نیست؛ تصویر PNG یا JPG یا تصویر برداری بفرستید.", error_codes.LOGO_NOT_IMAGE) from error
    if image.format not in RASTER_FORMATS:
        raise _refuse("پرونده تصویر شناخته‌شده‌ای نیست؛ تصویر PNG یا JPG یا تصویر برداری بفرستید.", error_codes.LOGO_NOT_IMAGE)
    return image


def _png_file(image: Image.Image, prefix: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    # Named after the content: a file is never overwritten, so an older theme can come back.
    return ContentFile(data, name=f"{prefix}-{hashlib.sha256(data).hexdigest()[:16]}.png")


def logo_process(upload) -> ContentFile:
    """The uploaded logo as a PNG at most 512×256, transparency kept."""
    image = _open_upload(upload).convert("RGBA")
    image.thumbnail(LOGO_BOX, Image.LANCZOS)
    return _png_file(image, "logo")


def favicon_process(upload) -> ContentFile:
    return favicon_from_image(_open_upload(upload))


def favicon_from_image(image: Image.Image) -> ContentFile:
    """A square 64×64 PNG: the image fitted inside, centred on a transparent square."""
    image = image.convert("RGBA")
    image.thumbnail((FAVICON_SIZE, FAVICON_SIZE), Image.LANCZOS)
    square = Image.new("RGBA", (FAVICON_SIZE, FAVICON_SIZE), (0, 0, 0, 0))
    square.paste(image, ((FAVICON_SIZE - image.width) // 2, (FAVICON_SIZE - image.height) // 2), image)
    return _png_file(square, "favicon")


def favicon_from_logo(logo_file) -> ContentFile:
    with logo_file.open("rb") as handle:
        return favicon_from_image(Image.open(handle))


def ico_bytes(png_file) -> bytes:
    """/favicon.ico in the ICO format browsers ask for, from the theme's PNG."""
    with png_file.open("rb") as handle:
        image = Image.open(handle).convert("RGBA")
        buffer = io.BytesIO()
        image.save(buffer, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()
