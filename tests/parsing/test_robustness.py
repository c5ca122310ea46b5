"""Hostile input: parse_page raises nothing but NoArticlesError. How fast it stays on these
pages is bench/fuzz.py's figure (slowest page), not a timed test."""

import contextlib
import random

import pytest

from articles.parsing import NoArticlesError, parse_page

from ..strategies import HOSTILE_PAGES

PIECES = [
    "本报讯（记者 ",
    "）",
    "（",
    "(",
    ")",
    "记者",
    "通讯员 ",
    "实习生",
    "摄影报道",
    "摄",
    "文/图 ",
    "\n",
    "\n\n",
    "\n\n\n\n",
    "工会",
    "总工会",
    "各级工会",
    "（以下简称：",
    "“",
    "”",
    "——",
    "●",
    "第4版　1998年1月5日",
    "责任编辑：",
    "\x07",
    "\x1b",
    "\u3000",
    "\xa0",
    "\ufeff",
    "\r",
    "。",
    "，",
    "北京市总工会",
    "新华社北京1月1日电（记者 ",
    "图①：",
    "·",
    "１９９８年",
    "邮政职工学礼仪",
]


@pytest.fixture(scope="module", autouse=True)
def warm_dictionaries():
    """Loading jieba's dictionary once is start-up cost, not per-page cost."""
    parse_page("北京市总工会举办活动\n\n北京市总工会举办活动。")


def parse_or_find_no_articles(text: str) -> None:
    with contextlib.suppress(NoArticlesError):
        parse_page(text)


def test_random_pages_parse_or_report_no_articles():
    rng = random.Random(20240601)  # noqa: S311 - reproducible test data, not security
    for _ in range(150):
        parse_or_find_no_articles("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 300))))
    for _ in range(50):
        parse_or_find_no_articles(
            "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(0, 400)))
        )


def test_shuffled_and_spiked_seed_pages_parse(seed_text):
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not security
    lines = seed_text.split("\n")
    for _ in range(20):
        rng.shuffle(lines)
        parse_or_find_no_articles("\n".join(lines))
        chars = list(seed_text)
        for _ in range(40):
            chars.insert(rng.randrange(len(chars)), rng.choice(PIECES))
        parse_or_find_no_articles("".join(chars))


@pytest.mark.parametrize("text", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES.keys())
def test_hostile_pages_parse_or_find_no_articles(text):
    parse_or_find_no_articles(text)
