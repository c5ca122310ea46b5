"""Page PDFs made at test time: a page's text laid out as a newspaper page (banners across the
top, then four columns; titles bigger and bold, paragraphs indented, a picture's place above
each picture item) and printed by Chromium.

Used by tests/test_pdf_*.py and bench/pdf_pages.py; nothing here is downloaded or committed.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from articles.parsing.layout import PHOTO_GAP

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

STYLE = """
@page { size: %(width)smm %(height)smm; margin: 12mm; }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 10pt; line-height: 1.45;
       margin: 0; }
.banners { text-align: center; border-bottom: 1px solid #000; margin-bottom: 6mm; }
.banners p { margin: 0 0 2mm; font-size: 11pt; }
.columns { column-count: %(columns)s; column-gap: 8mm; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.kicker, .sub { font-size: 13pt; text-indent: 0; text-align: center; margin: 2mm 0; }
.item { break-inside: avoid; }
.picture { height: 8em; margin: 2mm 0 3mm; border: 1px solid #888; background: #e8e8e8;
           print-color-adjust: exact; }
.headline { font-size: 19pt; font-weight: bold; text-indent: 0; text-align: center;
            margin: 4mm 0 2mm; }
"""


def page_html(text: str, expected: dict | None = None, columns: int = 4) -> str:
    """The page as HTML: blocks named as banners or titles in `expected` (a check_parse.py
    expected parse) styled so, every other block an indented paragraph."""
    expected = expected or {"banners": [], "articles": []}
    banners = set(expected.get("banners", []))
    roles = {}
    for article in expected.get("articles", []):
        for role in ("kicker", "headline", "subheadline"):
            if article.get(role):
                roles[article[role]] = "sub" if role == "subheadline" else role
    pieces = _pieces(text)
    blocks = [piece for piece, _ in pieces]
    pictured = {piece for piece, blank in pieces if blank >= PHOTO_GAP}
    top = [b for b in blocks if b in banners]
    rest = [b for b in blocks if b not in banners]
    size = sum(len(b) for b in rest)
    # Four columns of about 30 characters, about 75 lines each on A3; longer pages grow taller.
    height = max(420, int(size / (columns * 30) * 5.5) + 80)
    style = STYLE % {"width": 297, "height": height, "columns": columns}
    body = "".join(_paragraph(b, roles.get(b, ""), b in pictured) for b in rest)
    head = "".join(f"<p>{html.escape(b)}</p>" for b in top)
    return (
        f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>{style}</style>'
        f'</head><body><div class="banners">{head}</div><div class="columns">{body}</div>'
        "</body></html>"
    )


def _pieces(text: str) -> list[tuple[str, int]]:
    """The page's blocks (runs of non-empty lines), each with the blank lines above it."""
    pieces: list[tuple[str, int]] = []
    lines: list[str] = []
    blank = above = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip(" \t\u3000"):
            if not lines:
                above = blank
            lines.append(line.strip())
            blank = 0
            continue
        if lines:
            pieces.append(("\n".join(lines), above))
            lines = []
        blank += 1
    if lines:
        pieces.append(("\n".join(lines), above))
    return pieces


def _paragraph(block: str, role: str, pictured: bool) -> str:
    """A block as a paragraph; one the text export spaces as a picture item's (a wide gap
    above it) gets the picture's place above it, kept in the same column: a margin alone
    would vanish at the top of a column, as CSS truncates margins at a column break."""
    paragraph = f'<p class="{role}">{html.escape(block).replace(chr(10), "<br>")}</p>'
    if pictured:
        return f'<div class="item"><div class="picture"></div>{paragraph}</div>'
    return paragraph


def print_pdf(page: str, out: Path) -> Path:
    """Chromium prints the HTML to `out` (no header or footer of its own)."""
    if CHROMIUM is None:
        raise FileNotFoundError("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={folder}/profile",
                f"--print-to-pdf={out}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def printed_page(text_file: Path, out: Path, columns: int = 4) -> Path:
    """The page file (with its `.expected.json` or the seed's expected.json beside it, when
    there is one) printed to the PDF `out`."""
    from articles import parsing

    text = parsing.decode_page(text_file.read_bytes())
    expected = None
    for candidate in (
        text_file.with_name(text_file.name.removesuffix(".txt") + ".expected.json"),
        text_file.with_name("expected.json"),
    ):
        if candidate.exists():
            expected = json.loads(candidate.read_text(encoding="utf-8"))
            break
    return print_pdf(page_html(text, expected, columns), out)


def scan_like_pdf(width: int = 400, height: int = 560) -> bytes:
    """A PDF with an image and no text layer, as a scanner makes (drawn by Pillow)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for row in range(20, height - 20, 14):
        draw.line((20, row, width - 20, row), fill="black", width=3)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72.0)
    return out.getvalue()


def page_image_bytes(kind: str = "PNG", width: int = 300, height: int = 420) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, kind)
    return out.getvalue()


def encrypted(pdf: bytes) -> bytes:
    """The PDF with a standard security handler in its trailer whose user password is not
    empty: readers ask for a password."""
    handler = (
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /P -4 "
        b"/O <" + b"1f" * 32 + b"> /U <" + b"2e" * 32 + b"> >> "
        b"/ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] "
    )
    head, trailer = pdf.rsplit(b"trailer", 1)
    return head + b"trailer" + trailer.replace(b"<<", b"<< " + handler, 1)
