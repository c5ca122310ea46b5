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
    with pytest.raises(EmptyPageError, match=r"空的|空白"):
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
    with pytest.raises(UndecodableTextError, match="既不是 UTF-8 也不是 GB18030"):
        decode_page("工会".encode("gb18030") + b"\x81\x20" + b"text")


TRADITIONAL = "北京市總工會召開全委會，本報訊記者劉欣欣報道，會議在京召開，職工代表參加會議並發言。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TRADITIONAL.encode("big5"), "big5"),
        ("東京都の労働組合が会議を開催しました。職員が参加しました。".encode("shift_jis"), "cp9"),
        ("서울 노동조합 회의가 열렸습니다. 노동자들이 참석했습니다.".encode("euc-kr"), "cp949"),
    ],
)
def test_other_east_asian_encodings_are_refused_not_stored_as_mojibake(data, encoding):
    data.decode("gb18030")  # GB18030 alone would accept these bytes
    with pytest.raises(UndecodableTextError, match=encoding):
        decode_page(data)


def test_a_real_page_in_gb18030_is_accepted(seed_text):
    assert decode_page(seed_text.encode("gb18030")) == decode_page(seed_text.encode("utf-8"))
