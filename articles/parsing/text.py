"""Bytes -> clean text, and the character classes every later stage relies on."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from .errors import BinaryContentError, EmptyPageError, UndecodableTextError

# A block ending in one of these closes a sentence; a column break never does.
TERMINAL = frozenset("。！？!?…；;：:”’」』》）)】〕\"'.．")
# Whitespace that layout tools put inside lines: ASCII, NBSP, U+3000 and friends.
SPACE_RE = re.compile(r"[\s\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
# Control characters other than tab/newline are noise from extraction; they are dropped.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200c-\u200f\u2028-\u202e\u2060-\u206f]")
_STRIPPED = " \t\u00a0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\ufeff"
_MAX_CONTROL_SHARE = 0.1


def decode_page(data: bytes) -> str:
    """Decode a page file: UTF-8 (with or without BOM), else GB18030, with LF line ends.

    Strict decoding: a wrong guess would store mojibake that nobody notices until search fails.
    """
    if not data.strip():
        raise EmptyPageError("文件是空的")
    if b"\x00" in data:
        raise BinaryContentError("文件含有空字节（NUL），是二进制或 UTF-16 文件，不是文本")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise UndecodableTextError(
                f"文件既不是 UTF-8 也不是 GB18030 编码（第 {exc.start} 字节无法识别）"
            ) from None
        _check_gb18030(data)
    text = normalize_newlines(text)
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        raise EmptyPageError("文件只有空白，没有文字")
    controls = sum(1 for ch in visible if unicodedata.category(ch) == "Cc")
    if controls > _MAX_CONTROL_SHARE * len(visible):
        raise BinaryContentError(f"{len(visible)} 个字符中有 {controls} 个控制字符，不是文本文件")
    return text


# East Asian encodings whose bytes GB18030 also decodes, into nonsense.
_LOOKALIKES = frozenset(
    [
        "big5",
        "big5hkscs",
        "cp950",
        "shift_jis",
        "shift_jis_2004",
        "shift_jisx0213",
        "cp932",
        "euc_jp",
        "euc_jis_2004",
        "euc_kr",
        "cp949",
        "johab",
        "iso2022_kr",
    ]
)


def _check_gb18030(data: bytes) -> None:
    """GB18030 decodes almost any bytes, so a Big5 or Shift-JIS file would be stored as
    mojibake. charset-normalizer judges whether the text reads as GB18030; if it does not and
    reads as another East Asian encoding, the file is refused. When it cannot tell either way
    (short or digit-heavy pages) the strict GB18030 decoding stands."""
    if from_bytes(data, cp_isolation=["gb18030"]).best() is not None:
        return
    best = from_bytes(data).best()
    if best is not None and best.encoding in _LOOKALIKES:
        raise UndecodableTextError(
            f"文件看来是 {best.encoding} 编码，不是 UTF-8 或 GB18030：请另存为 UTF-8"
        )


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM goes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def clean_line(line: str) -> str:
    """Strip indentation and trailing spaces and drop control characters; inner spaces stay."""
    return CONTROL_RE.sub("", line).strip(_STRIPPED)


def squeeze(text: str) -> str:
    """Text without any whitespace: how names and headlines are compared."""
    return SPACE_RE.sub("", text)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def is_digit(ch: str) -> bool:
    return ch.isdigit() or ch in "〇零一二三四五六七八九十百千万"


def ends_sentence(text: str) -> bool:
    """True when the text ends where a paragraph may end (punctuation, a closing bracket)."""
    text = text.rstrip()
    return bool(text) and text[-1] in TERMINAL
