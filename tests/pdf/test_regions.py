from articles import parsing
from articles.pdf.regions import article_regions, merged
from articles.pdf.text import Box, read_pdf_text


def test_region_boxes_contain_their_articles_text_positions(printed_seed):
    page = read_pdf_text(printed_seed, "seed.pdf")
    articles = parsing.parse_page(page.text).articles
    parts = [[a.kicker or "", a.headline, a.subheadline or "", *a.paragraphs] for a in articles]
    regions = article_regions([(b.text, b.boxes) for b in page.blocks], parts)
    assert all(regions), "every article is found on the page"
    for article, rectangles in zip(articles, regions, strict=True):
        own = [b for b in page.blocks if b.text in (article.headline, *article.paragraphs)]
        assert own
        for block in own:
            for line in block.boxes:
                assert any(r.contains(line) for r in rectangles), (article.headline, line)


def test_regions_of_two_articles_do_not_overlap(printed_seed):
    page = read_pdf_text(printed_seed, "seed.pdf")
    articles = parsing.parse_page(page.text).articles[:2]
    parts = [[a.headline, *a.paragraphs] for a in articles]
    first, second = article_regions([(b.text, b.boxes) for b in page.blocks], parts)
    for a in first:
        for b in second:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.bottom <= b.top or b.bottom <= a.top


def test_a_block_that_differs_a_little_from_the_text_still_finds_its_article():
    boxes = [Box(0, 0, 100, 10)]
    regions = article_regions(
        [("工会举办职工运动会，近千名职工参加", boxes)],
        [["别的文章"], ["工会举办职工运动会，近千名职工参与"]],
    )
    assert regions == [[], boxes]


def test_a_block_no_article_holds_belongs_to_none():
    regions = article_regions([("版面标语", [Box(0, 0, 10, 10)])], [["文章正文"]])
    assert regions == [[]]


def test_lines_of_one_column_merge_and_another_column_stays_apart():
    lines = [Box(0, 0, 100, 10), Box(0, 12, 90, 22), Box(120, 0, 220, 10)]
    assert merged(lines) == [Box(0, 0, 100, 22), Box(120, 0, 220, 10)]
