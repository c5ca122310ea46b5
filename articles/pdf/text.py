"""A page PDF's text layer -> page text in reading order, with where each line stands.

The characters (with their boxes, font size and weight, from PDFium) are cut into columns and
bands where blank space runs across them (an X-Y cut), each column into lines, and the lines
rejoined into blocks: an indented first line, a vertical gap or a change of type opens a block,
a line that runs to the column's edge carries on. The text comes out as the parser takes a
plain-text page: one block a line, blocks separated by an empty line, each column's top a new
block (a column break, as the text exports print it) unless its first line is flush where the
column's paragraphs are indented (a paragraph going on), and three empty lines above a block with
a wide blank above it in its column (a picture's place: the text exports space a picture item
so). That blank is measured from where the text above it in the same column ends, or, at the
top of a column, from where the body text beside it begins: a picture heading a column leaves
no gap between two lines of the column.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

FPDF_ERR_PASSWORD = 4  # PDFium's error code for a document that needs a password
# A blank of this many body sizes above a block is a picture's place, not a title's margins
# (a headline under the banners' rule stands four below the banners).
WIDE_GAP = 6.0
PICTURE_GAP = "\n\n\n\n"  # three empty lines, as a text export spaces a picture item


class ScanError(Exception):
    """A page PDF or image that cannot be read; the message names the file, in Chinese, for staff."""


class DamagedPdfError(ScanError):
    pass


class EncryptedPdfError(ScanError):
    pass


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in points, from the top left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )

    def contains(self, other: Box, slack: float = 0.5) -> bool:
        return (
            self.x0 - slack <= other.x0
            and self.top - slack <= other.top
            and other.x1 <= self.x1 + slack
            and other.bottom <= self.bottom + slack
        )


@dataclass(frozen=True)
class Char:
    text: str
    box: Box
    size: float
    bold: bool

    @property
    def middle(self) -> float:
        return (self.box.top + self.box.bottom) / 2


@dataclass(frozen=True)
class Line:
    chars: tuple[Char, ...]

    @property
    def box(self) -> Box:
        box = self.chars[0].box
        for char in self.chars[1:]:
            box = box.union(char.box)
        return box

    @property
    def size(self) -> float:
        return statistics.median(c.size for c in self.chars)

    @property
    def bold(self) -> bool:
        return sum(c.bold for c in self.chars) * 2 > len(self.chars)

    @property
    def text(self) -> str:
        """The characters left to right, a space where the gap between two is a space's."""
        pairs = list(zip(self.chars, self.chars[1:], strict=False))
        gaps = [char.box.x0 - before.box.x1 for before, char in pairs]
        # A justified line spreads every gap alike: a space is a gap wider than the usual one.
        usual = statistics.median(gaps) if gaps else 0.0
        parts = [self.chars[0].text]
        for (_, char), gap in zip(pairs, gaps, strict=True):
            if gap - max(usual, 0.0) > 0.2 * char.size:
                parts.append(" ")
            parts.append(char.text)
        return "".join(parts)


@dataclass(frozen=True)
class TextBlock:
    """One block of the page text (a title, a paragraph or part of one) and its lines' boxes."""

    text: str
    boxes: tuple[Box, ...]
    heading: bool = False
    wide_gap_above: bool = False  # a picture's place above it (WIDE_GAP)


@dataclass(frozen=True)
class PdfPageText:
    width: float
    height: float
    blocks: tuple[TextBlock, ...]

    @property
    def text(self) -> str:
        parts = []
        for block in self.blocks:
            if parts:
                parts.append(PICTURE_GAP if block.wide_gap_above else "\n\n")
            parts.append(block.text)
        return "".join(parts) + ("\n" if self.blocks else "")

    @property
    def has_text(self) -> bool:
        return bool(self.blocks)


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """The document, or a typed error naming the file: damaged, encrypted, or without pages."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == FPDF_ERR_PASSWORD:
            raise EncryptedPdfError(
                f"{name}：PDF 已加密，无法读取，请上传未加密的版面 PDF"
            ) from None
        raise DamagedPdfError(f"{name}：PDF 文件已损坏或不是 PDF，无法读取") from None
    if len(document) == 0:
        document.close()
        raise DamagedPdfError(f"{name}：PDF 里没有页面")
    return document


def read_pdf_text(data: bytes, name: str) -> PdfPageText:
    """The first page's text in reading order; a scan (no text layer) gives no blocks."""
    document = open_pdf(data, name)
    try:
        page = document[0]
        width, height = page.get_size()
        chars = _in_points(list(_chars(page, height)))
    finally:
        document.close()
    return PdfPageText(width, height, tuple(page_blocks(chars)))


def _chars(page: pdfium.PdfPage, height: float) -> Iterable[Char]:
    textpage = page.get_textpage()
    for index in range(textpage.count_chars()):
        text = textpage.get_text_range(index, 1)
        if not text or text.isspace() or pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if right <= left or top <= bottom:
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
        yield Char(text, Box(left, height - top, right, height - bottom), size, weight >= 600)


def _in_points(chars: list[Char]) -> list[Char]:
    """The font sizes in the boxes' unit: PDFium reports them in the font matrix's, which a
    printer may scale (Chromium's are CSS pixels); a CJK character is one em wide."""
    ratios = [
        (c.box.x1 - c.box.x0) / c.size
        for c in chars
        if c.size > 0 and "\u4e00" <= c.text <= "\u9fff"
    ]
    if not ratios:
        return chars
    scale = statistics.median(ratios)
    return [Char(c.text, c.box, c.size * scale, c.bold) for c in chars]


def page_blocks(chars: list[Char]) -> list[TextBlock]:
    """The blocks of the page, column by column in reading order."""
    if not chars:
        return []
    body = _body_size(chars)
    blocks: list[TextBlock] = []
    for piece in _xy_cut(chars, body, _top(chars)):
        lines = _lines(piece.chars)
        found = _column_blocks(lines, body)
        if found and found[0].boxes[0].top - piece.ceiling >= WIDE_GAP * body:
            found[0] = replace(found[0], wide_gap_above=True)
        elif found and blocks and _goes_on(blocks[-1], found[0], lines, body):
            before, first = blocks.pop(), found[0]
            found[0] = replace(
                before, text=before.text + first.text, boxes=before.boxes + first.boxes
            )
        blocks.extend(found)
    return blocks


def _goes_on(before: TextBlock, first: TextBlock, lines: list[Line], body: float) -> bool:
    """Whether a column piece's first line goes on with the paragraph the piece before ended:
    body type flush with the column's edge, where the column's own paragraphs are indented."""
    head = lines[0]
    if before.heading or first.heading or abs(head.size - body) > 0.5:
        return False
    flush = all(head.box.x0 - line.box.x0 < 0.5 * line.size for line in lines)
    return flush and any(line.box.x0 - head.box.x0 > 1.2 * line.size for line in lines[1:])


def _body_size(chars: list[Char]) -> float:
    """The commonest font size: the body text's."""
    sizes = [round(c.size, 1) for c in chars if not c.bold] or [round(c.size, 1) for c in chars]
    return statistics.mode(sizes)


def _gaps(spans: list[tuple[float, float]], least: float) -> list[float]:
    """The middles of the blank stretches at least `least` wide between the spans."""
    spans = sorted(spans)
    cuts, reach = [], spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= least:
            cuts.append((start + reach) / 2)
        reach = max(reach, end)
    return cuts


@dataclass(frozen=True)
class _Piece:
    """A single column piece of the page, and where the blank above it begins: the bottom of
    the band above it in its column, or the top of the body text beside it for a column's top."""

    chars: list[Char]
    ceiling: float


def _top(chars: list[Char]) -> float:
    return min(c.box.top for c in chars)


def _xy_cut(chars: list[Char], body: float, ceiling: float) -> list[_Piece]:
    """Columns left to right wherever blank space runs from top to bottom, else bands top to
    bottom where a wide blank runs across; recursively, down to single column pieces."""
    x_cuts = _gaps([(c.box.x0, c.box.x1) for c in chars], 1.2 * body)
    if x_cuts:
        # A column starting lower than the body text beside it has a blank at its top; the
        # page's furniture (banners, folios) may stand higher in one column than the others.
        top = _top([c for c in chars if abs(c.size - body) < 0.5] or chars)
        parts = _split(chars, x_cuts, "x")
        return [piece for part in parts for piece in _xy_cut(part, body, top)]
    y_cuts = _gaps([(c.box.top, c.box.bottom) for c in chars], 1.6 * body)
    if y_cuts:
        parts = _split(chars, y_cuts, "y")
        if len(parts) > 1:
            pieces = []
            for part in parts:
                pieces.extend(_xy_cut(part, body, ceiling))
                ceiling = max(c.box.bottom for c in part)
            return pieces
    return [_Piece(chars, ceiling)]


def _split(chars: list[Char], cuts: list[float], axis: str) -> list[list[Char]]:
    parts: list[list[Char]] = [[] for _ in range(len(cuts) + 1)]
    for char in chars:
        position = char.box.x0 if axis == "x" else char.box.top
        parts[sum(position > cut for cut in cuts)].append(char)
    return [part for part in parts if part]


def _lines(chars: list[Char]) -> list[Line]:
    """The column's characters as lines, top to bottom, each left to right."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.middle, c.box.x0)):
        if lines and char.middle < max(c.box.bottom for c in lines[-1]) - 0.2 * char.size:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [Line(tuple(sorted(line, key=lambda c: c.box.x0))) for line in lines]


def _is_heading(line: Line, body: float) -> bool:
    return line.size > body * 1.15 or (line.bold and line.size >= body)


def _column_blocks(lines: list[Line], body: float) -> list[TextBlock]:
    if not lines:
        return []
    left = min(line.box.x0 for line in lines)
    right = max(line.box.x1 for line in lines)
    blocks: list[list[Line]] = []
    for line in lines:
        if not blocks or _opens_block(blocks[-1][-1], line, left, right, body):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return [
        TextBlock(
            "".join(line.text for line in block),
            tuple(line.box for line in block),
            _is_heading(block[0], body),
        )
        for block in blocks
    ]


def _opens_block(before: Line, line: Line, left: float, right: float, body: float) -> bool:
    heading = _is_heading(line, body)
    if heading != _is_heading(before, body) or abs(line.size - before.size) > 0.5:
        return True
    gap = line.box.top - before.box.bottom
    if gap > 0.6 * line.size:
        return True
    if heading:
        return False  # a title's lines are centred or ragged: only a gap or a new size part them
    indented = line.box.x0 - left > 1.2 * line.size
    ran_to_edge = right - before.box.x1 < 1.5 * before.size
    return indented or not ran_to_edge
