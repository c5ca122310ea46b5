import pytest

from articles import parsing
from articles.parsing.blocks import split_blocks
from articles.pdf.text import (
    Box,
    Char,
    DamagedPdfError,
    EncryptedPdfError,
    PdfPageText,
    page_blocks,
    read_pdf_text,
)
from tests.printed_pages import encrypted, scan_like_pdf


def test_printed_seed_page_parses_at_95_percent_of_its_checks(
    printed_seed, seed_expected, check_parse
):
    text = read_pdf_text(printed_seed, "seed.pdf").text
    parsed = parsing.parse_page(text).to_dict()
    failures, checks = check_parse.score(seed_expected, parsed)
    assert checks == 81
    assert checks - len(failures) >= 0.95 * checks, failures


def test_printed_seed_page_gives_titles_as_blocks_of_their_own(printed_seed, seed_expected):
    blocks = read_pdf_text(printed_seed, "seed.pdf").blocks
    headings = {block.text for block in blocks if block.heading}
    assert {a["headline"] for a in seed_expected["articles"]} <= headings


def test_printed_seed_page_reads_columns_left_to_right(printed_seed):
    blocks = read_pdf_text(printed_seed, "seed.pdf").blocks
    texts = [block.text for block in blocks]
    assert texts.index("北京公交集团公司工会第四届会员代表大会召开") < texts.index("邮政职工学礼仪")
    # Four columns of about 199 points from a 34-point margin: never back to an earlier one.
    columns = [int((block.boxes[0].x0 - 20) // 199) for block in blocks[1:]]
    assert columns == sorted(columns) and set(columns) == {0, 1, 2, 3}


def _char(text: str, x: float, top: float, size: float = 10.0, bold: bool = False) -> Char:
    return Char(text, Box(x, top, x + size, top + size * 1.2), size, bold)


def _line(text: str, x: float, top: float, **kwargs) -> list[Char]:
    size = kwargs.get("size", 10.0)
    return [_char(ch, x + i * size, top, **kwargs) for i, ch in enumerate(text)]


def test_a_line_that_runs_to_the_edge_carries_on_and_an_indented_one_opens_a_block():
    chars = [
        *_line("第一段开头一直写到栏边为止", 20, 0),
        *_line("接着写完。", 0, 14),
        *_line("第二段开头也一直写到栏边", 20, 28),
        *_line("短行。", 0, 42),
        *_line("不缩进的一行跟在短行后面", 0, 56),
    ]
    assert [b.text for b in page_blocks(chars)] == [
        "第一段开头一直写到栏边为止接着写完。",
        "第二段开头也一直写到栏边短行。",
        "不缩进的一行跟在短行后面",
    ]


def test_a_bigger_bold_line_is_a_heading_block():
    chars = [
        *_line("大标题", 0, 0, size=20.0, bold=True),
        *_line("正文第一行写到了栏边的位置", 20, 30),
        *_line("正文第二行写到了栏边的位置为", 0, 44),
    ]
    blocks = page_blocks(chars)
    assert (blocks[0].text, blocks[0].heading) == ("大标题", True)
    assert not blocks[1].heading


def test_scan_like_pdf_has_no_text_layer():
    page = read_pdf_text(scan_like_pdf(), "scan.pdf")
    assert (page.has_text, page.text, page.width) == (False, "", 400.0)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not a pdf at all", DamagedPdfError),
        (scan_like_pdf()[:300], DamagedPdfError),
        (encrypted(scan_like_pdf()), EncryptedPdfError),
    ],
    ids=["not-pdf", "truncated", "encrypted"],
)
def test_bad_pdf_is_refused_with_its_file_name(data, error):
    with pytest.raises(error, match=r"^2024-03-12_02\.pdf："):
        read_pdf_text(data, "2024-03-12_02.pdf")


def _column(x: float, top: float, lines: int) -> list[Char]:
    """`lines` body lines of a column 14 characters wide, each running to its edge."""
    return [
        c for n in range(lines) for c in _line("栏里的一行正文写到栏边为止还有字", x, top + n * 14)
    ]


def test_a_wide_blank_inside_a_column_comes_out_as_a_picture_items_gap():
    chars = [*_column(0, 0, 3), *_line("图片新闻", 0, 42 + 80), *_column(0, 136, 2)]
    page = PdfPageText(400, 600, tuple(page_blocks(chars)))
    assert [b.wide_gap_above for b in page.blocks] == [False, True, False]
    assert "为止还有字\n\n\n\n图片新闻\n\n栏里" in page.text
    assert split_blocks(page.text)[1].gap == 3  # as the parser reads a text export


def test_a_column_that_starts_below_the_body_text_beside_it_has_a_gap_at_its_top():
    """A picture heading the third column: nothing above the caption in its own column, but
    the columns beside it start 80 points higher."""
    banners = _line("出版日期", 0, -30, size=11.0)  # page furniture above the first column only
    chars = [*banners, *_column(0, 0, 5), *_column(200, 0, 5), *_column(400, 80, 2)]
    chars += _column(600, 0, 5)
    blocks = page_blocks(chars)
    assert [b.boxes[0].x0 for b in blocks if b.wide_gap_above] == [400]


def test_title_margins_and_the_rule_under_the_banners_are_no_gap():
    chars = [
        *_line("出版日期", 0, -40, size=11.0),
        *_column(0, 0, 2),
        *_line("大标题", 0, 28 + 20, size=20.0, bold=True),
        *_column(0, 100, 2),
    ]
    assert not any(b.wide_gap_above for b in page_blocks(chars))


def test_a_columns_flush_first_line_goes_on_with_the_paragraph_the_column_before_ended():
    chars = [
        *_line("第一栏的段落开头缩进两字一直写", 20, 0),
        *_line("到这一栏的最后一行句子写完了。", 0, 14),
        *_line("下一栏顶格的这一行接着上一段写的字", 200, 0),
        *_line("完。", 200, 14),
        *_line("新的一段开头缩进两个字写到栏边", 220, 28),
    ]
    assert [b.text for b in page_blocks(chars)] == [
        "第一栏的段落开头缩进两字一直写到这一栏的最后一行句子写完了。下一栏顶格的这一行接着上一段写的字完。",
        "新的一段开头缩进两个字写到栏边",
    ]
