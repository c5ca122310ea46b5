"""Learning from editors: corrections become examples, and a paper's examples change only its pages."""

import json

import pytest

from articles.parsing import decode_page, parse_page
from articles.parsing.titlemodel import TitleExample, base_model
from articles.parsing.training import DEVSET_PAPERS, devset_examples, examples_from_corrections
from tests.conftest import DEVSET

LEAD = "本报讯（记者 田丁辉 通讯员 雷亚楠）近日，西安市总工会对阎良区凤凰街社区工会进行了检查验收。"
FIRST = f"出版日期：2016年12月20日\n\n西安市总工会\n\n验收凤凰街社区工会职工书屋\n\n{LEAD}\n\n近年来，该社区工会加大职工书屋创建力度。\n"
LATER = (
    "出版日期：2017年01月10日\n\n渭南市总工会\n\n表彰一批模范职工之家\n\n"
    "本报讯（记者 李明）近日，渭南市总工会表彰了一批模范职工之家。\n\n这些职工之家建设成效明显。\n"
)
PAPER, OTHER = "陕西工人报", "劳动午报"


def _titles(text, **options):
    return [(a.kicker, a.headline, a.subheadline) for a in parse_page(text, **options).articles]


def _taught():
    """The shipped model after an editor said 西安市总工会 is a kicker on a 陕西工人报 page."""
    parsed = parse_page(FIRST, paper=PAPER)
    correction = {"op": "role", "text": "西安市总工会", "role": "kicker"}
    return base_model().with_examples(PAPER, examples_from_corrections(parsed, [correction]))


def test_a_role_correction_of_a_joined_headline_line_becomes_an_example():
    parsed = parse_page(FIRST, paper=PAPER)
    correction = {"op": "role", "text": "西安市总工会", "role": "kicker"}
    [example] = examples_from_corrections(parsed, [correction])
    assert (example.lines, example.roles) == (
        ("西安市总工会", "验收凤凰街社区工会职工书屋"),
        ("kicker", "headline"),
    )


def test_corrections_naming_no_title_line_teach_nothing():
    parsed = parse_page(FIRST, paper=PAPER)
    assert examples_from_corrections(parsed, [{"op": "join", "text": "近年来"}]) == []


def test_a_correction_changes_a_later_page_of_the_same_paper_with_the_same_form():
    before = _titles(LATER, paper=PAPER)
    after = _titles(LATER, model=_taught(), paper=PAPER)
    assert before == [(None, "渭南市总工会表彰一批模范职工之家", None)]
    assert after == [("渭南市总工会", "表彰一批模范职工之家", None)]


def test_a_correction_changes_no_page_of_another_paper():
    assert _titles(LATER, model=_taught(), paper=OTHER) == _titles(LATER, paper=OTHER)


@pytest.mark.devset
@pytest.mark.parametrize(
    "page_id", [p for paper, ids in DEVSET_PAPERS.items() if paper != PAPER for p in ids]
)
def test_a_correction_changes_no_devset_page_of_another_paper(page_id):
    text = decode_page((DEVSET.parent / f"{page_id}.txt").read_bytes())
    paper = next(p for p, ids in DEVSET_PAPERS.items() if page_id in ids)
    assert _titles(text, model=_taught(), paper=paper) == _titles(text, paper=paper)


def test_teaching_twice_gives_the_same_parse():
    assert _taught().overlays[PAPER].tobytes() == _taught().overlays[PAPER].tobytes()


@pytest.mark.devset
def test_devset_title_blocks_are_found_for_every_expected_article():
    page = DEVSET.parent / "pages2" / "2016-12-20_03.txt"
    expected = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
    examples = devset_examples(page)
    assert len(examples) == len(expected["articles"])
    assert examples[0] == TitleExample(
        ("西安市总工会", "验收凤凰街社区工会职工书屋"),
        ("headline", "headline"),
        examples[0].below,
    )
