"""Page images: a PDF page rendered by PDFium, or an uploaded JPEG/PNG, scaled and encoded as
JPEG; the whole page or one rectangle of it (an article's clipping)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from articles.pdf.text import Box, ScanError, open_pdf

JPEG_QUALITY = 85


class BadImageError(ScanError):
    pass


def image_size(data: bytes, name: str) -> tuple[int, int]:
    """An uploaded page image's size in pixels; a file Pillow cannot read is refused by name."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG"):
                raise BadImageError(f"{name}：版面图只接受 JPEG 或 PNG")
            image.verify()
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise BadImageError(f"{name}：图片已损坏或无法识别") from None


def render_pdf(data: bytes, name: str, width: int, crop: Box | None = None) -> bytes:
    """The first page (or the `crop` rectangle of it, in points) as a JPEG `width` pixels wide."""
    document = open_pdf(data, name)
    try:
        page = document[0]
        page_width, page_height = page.get_size()
        box = crop or Box(0, 0, page_width, page_height)
        scale = width / max(box.x1 - box.x0, 1)
        image = page.render(
            scale=scale,
            crop=(box.x0, page_height - box.bottom, page_width - box.x1, box.top),
        ).to_pil()
    except pdfium.PdfiumError:
        raise ScanError(f"{name}：PDF 无法渲染") from None
    finally:
        document.close()
    return _jpeg(image)


def render_image(data: bytes, name: str, width: int, crop: Box | None = None) -> bytes:
    """The uploaded image (or the `crop` rectangle of it, in pixels) scaled to `width`."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if crop is not None:
                image = image.crop((crop.x0, crop.top, crop.x1, crop.bottom))
            height = max(1, round(image.height * width / image.width))
            return _jpeg(image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise BadImageError(f"{name}：图片已损坏或无法识别") from None


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
