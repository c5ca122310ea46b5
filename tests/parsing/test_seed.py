"""The real seed page and its hand-checked parse (tests/data)."""

from pathlib import Path

from articles.parsing import Kind, decode_page, parse_page

DATA = Path(__file__).resolve().parent.parent / "data"


def test_seed_page_scores_every_check(seed_expected, check_parse):
    parsed = parse_page(decode_page((DATA / "seed_page.txt").read_bytes())).to_dict()
    failures, total = check_parse.score(seed_expected, parsed)
    assert (failures, total) == ([], 81)


def test_seed_page_keeps_the_slogan_out_of_the_first_article(seed_text):
    parsed = parse_page(seed_text)
    assert parsed.banners == ("深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面",)
    assert parsed.articles[0].kicker is None


def test_seed_page_has_two_picture_items(seed_text):
    kinds = [a.kind for a in parse_page(seed_text).articles]
    assert kinds.count(Kind.PHOTO) == 2


def test_seed_page_in_gb18030_with_crlf_parses_the_same(seed_text):
    data = seed_text.replace("\n", "\r\n").encode("gb18030")
    assert parse_page(decode_page(data)) == parse_page(seed_text)
