import codecs

import pytest

from articles.parsing import (
    BinaryContentError,
    EmptyPageError,
    UndecodableTextError,
    decode_page,
)

HEADLINE = "北辰集团工会干部研修班开班"
LEAD = "本报讯（记者 周美玉 通讯员 孙丹）近日，北辰集团工会举办工会干部研修班。"
PAGE = f"{HEADLINE}\n\n{LEAD}\n"


@pytest.mark.parametrize(
    "data",
    [
        PAGE.encode("utf-8"),
        codecs.BOM_UTF8 + PAGE.encode("utf-8"),
        PAGE.encode("gb18030"),
        PAGE.replace("\n", "\r\n").encode("utf-8"),
        PAGE.replace("\n", "\r\n").encode("gb18030"),
        PAGE.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "utf8-crlf", "gb18030-crlf", "utf8-cr"],
)
def test_decode_page_reads_every_supported_encoding_to_lf_text(data):
    assert decode_page(data) == PAGE


def test_decode_page_keeps_full_width_indentation_for_the_parser():
    assert decode_page("\u3000\u3000正文。\n".encode()) == "\u3000\u3000正文。\n"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n", codecs.BOM_UTF8, "\u3000\u3000\n".encode(), "\u3000\n".encode("gb18030")],
    ids=["empty", "ascii-space", "bom-only", "ideographic-space", "gb18030-space"],
)
def test_decode_page_rejects_empty_pages(data):
    with pytest.raises(EmptyPageError, match=r"empty|whitespace"):
        decode_page(data)


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 8, PAGE.encode("utf-16"), b"\x01\x02\x03\x04\x05\x06abc" * 20],
    ids=["all-bytes", "utf-16", "control-chars"],
)
def test_decode_page_rejects_binary_content(data):
    with pytest.raises(BinaryContentError) as info:
        decode_page(data)
    assert "\n" not in str(info.value)


def test_decode_page_rejects_bytes_that_are_neither_utf8_nor_gb18030():
    with pytest.raises(UndecodableTextError, match="neither UTF-8 nor GB18030"):
        decode_page("工会".encode("gb18030") + b"\x81\x20" + b"text")
