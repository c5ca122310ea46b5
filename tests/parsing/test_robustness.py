"""Hostile input: parse_page raises nothing but NoArticlesError, and stays fast."""

import contextlib
import random
import time

import pytest

from articles.parsing import NoArticlesError, parse_page

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
HOSTILE = {
    "huge line": "字" * 200_000,
    "nested brackets": "（" * 50_000 + "记者" + "）" * 50_000,
    "only bylines": "\n\n".join(["本报讯（记者 张三 李四 通讯员 王五）"] * 2000),
    "union storm": "标题\n\n本报讯（记者 张三）" + "工会。" * 20_000,
    "many headlines": "\n\n".join(f"标题{i}号" for i in range(5000)),
    "control chars": "".join(chr(c) for c in range(32)) * 1000,
    "astral": "\U0001f600\U00020000\n\n" * 3000,
}


@pytest.fixture(scope="module", autouse=True)
def warm_dictionaries():
    """Loading jieba's dictionary once is start-up cost, not per-page cost."""
    parse_page("北京市总工会举办活动\n\n北京市总工会举办活动。")


def parse_quickly(text: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(NoArticlesError):
        parse_page(text)
    assert time.perf_counter() - started < 1.0


def test_random_pages_parse_or_report_no_articles():
    rng = random.Random(20240601)  # noqa: S311 - reproducible test data, not security
    for _ in range(150):
        parse_quickly("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 300))))
    for _ in range(50):
        parse_quickly("".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(0, 400))))


def test_shuffled_and_spiked_seed_pages_parse(seed_text):
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not security
    lines = seed_text.split("\n")
    for _ in range(20):
        rng.shuffle(lines)
        parse_quickly("\n".join(lines))
        chars = list(seed_text)
        for _ in range(40):
            chars.insert(rng.randrange(len(chars)), rng.choice(PIECES))
        parse_quickly("".join(chars))


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_pages_parse_within_a_second(text):
    parse_quickly(text)
