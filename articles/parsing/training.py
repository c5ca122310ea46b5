"""The title blocks the title model learns from, and the command that builds the shipped model.

    .venv/bin/python -m articles.parsing.training [--shared ../shared] [--out PATH]

Three sources, each a list of TitleExample:
- the corpus (../shared/corpus/articles.jsonl.gz): 3,148 People's Daily articles, headline and
  subheadline (no kickers), with the byline or first paragraph under them;
- the devset pages (../shared/devset/pages*/): each expected article's title lines found on its
  page, with captions between the titles and the text;
- an editor's confirmed corrections of a parsed page (`examples_from_corrections`).
DEVSET_PAPERS names the paper of every devset page, so a model can be fitted without one paper
(bench/parse_accuracy.py's leave-one-paper-out table).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterable
from pathlib import Path

from .blocks import split_blocks
from .bylines import is_caption_line
from .furniture import is_epaper_export
from .model import ParsedPage
from .text import decode_page, squeeze
from .titlemodel import MODEL_PATH, ROLES, TitleExample, TitleModel

# The paper that printed each devset page, as its banner or ../shared/devset/README.md names it;
# 2025-09-26_02 mixes items of several provincial papers under one banner.
DEVSET_PAPERS = {
    "劳动午报": [
        "pages/2015-09-18_06",
        "pages/2017-01-23_03",
        "pages/2017-05-22_01",
        "pages/2019-08-12_04",
        "pages/2020-12-31_04",
        "pages2/2017-05-25_16",
        "pages2/2017-08-08_04",
        "pages2/2019-05-05_11",
        "pages2/2021-01-13_04",
        "pages2/2023-04-10_06",
        "pages2/2025-08-14_08",
    ],
    "工人日报": ["pages/2016-06-17_02", "pages2/2009-10-13_06", "pages2/2012-03-28_02"],
    "浙江工人日报": ["pages/2021-08-16_02"],
    "陕西工人报": ["pages2/2008-05-19_01", "pages2/2016-12-20_03"],
    "四川工人日报": ["pages2/2024-01-03_01", "pages2/2025-03-22_02", "pages2/2025-10-28_02"],
    "甘肃工人报": ["pages2/2018-12-26_01"],
    "南方工报": ["pages2/2023-01-20_01"],
    "山东工人报": ["pages2/2025-12-29_01"],
    "省报混合": ["pages/2025-09-26_02"],
}
# The corpus is one paper of 1998 that runs kickers into its headlines: its 179 two-line blocks
# together weigh about as much as the devset's real union-paper blocks.
CORPUS_WEIGHT = 0.2


def paper_of(page_id: str) -> str:
    """The paper of a devset page id (`pages2/2016-12-20_03`)."""
    return next(paper for paper, ids in DEVSET_PAPERS.items() if page_id in ids)


def corpus_examples(shared: Path) -> list[TitleExample]:
    """Headline (+ subheadline) blocks of the corpus, with the line under them."""
    path = shared / "corpus" / "articles.jsonl.gz"
    examples = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            art = json.loads(line)
            if not art.get("headline") or not art.get("paragraphs"):
                continue
            titles = [art["headline"]] + ([art["subheadline"]] if art.get("subheadline") else [])
            below = art["byline"] if art.get("byline_pos") == "line" else art["paragraphs"][0]
            examples.append(
                TitleExample(
                    tuple(titles),
                    ("headline", "subheadline")[: len(titles)],
                    below or "",
                    epaper=False,
                    weight=CORPUS_WEIGHT,
                )
            )
    return examples


def devset_examples(page: Path) -> list[TitleExample]:
    """The title blocks of one devset page, found by its expected articles."""
    expected = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
    epaper = is_epaper_export(expected.get("banners", []))
    lines = [b.text for b in split_blocks(decode_page(page.read_bytes()))]
    return [
        example
        for article in expected["articles"]
        if (example := _block_of(article, lines, epaper)) is not None
    ]


def _block_of(article: dict, lines: list[str], epaper: bool) -> TitleExample | None:
    flat = [squeeze(line) for line in lines]
    head = squeeze(article["headline"])
    for i in range(len(flat)):
        if flat[i] == head:
            start, end = i, i + 1
        elif i + 1 < len(flat) and flat[i] + flat[i + 1] == head:
            start, end = i, i + 2
        else:
            continue
        block = list(lines[start:end])
        roles = ["headline"] * (end - start)
        if article.get("kicker") and start > 0 and flat[start - 1] == squeeze(article["kicker"]):
            block.insert(0, lines[start - 1])
            roles.insert(0, "kicker")
        sub = article.get("subheadline")
        if sub and end < len(flat) and flat[end] == squeeze(sub):
            block.append(lines[end])
            roles.append("subheadline")
            end += 1
        while end < len(lines) and len(block) < 3 and is_caption_line(lines[end]):
            block.append(lines[end])
            roles.append("caption")
            end += 1
        below = lines[end] if end < len(lines) else ""
        return TitleExample(tuple(block), tuple(roles), below, epaper=epaper)
    return None


def devset_pages(shared: Path) -> list[Path]:
    return [
        page
        for folder in ("pages", "pages2")
        for page in sorted((shared / "devset" / folder).glob("*.txt"))
    ]


def page_id(page: Path) -> str:
    return f"{page.parent.name}/{page.stem}"


def training_examples(shared: Path, *, without: str | None = None) -> list[TitleExample]:
    """Corpus blocks plus the devset's, leaving out paper `without`."""
    examples = corpus_examples(shared)
    for page in devset_pages(shared):
        if paper_of(page_id(page)) != without:
            examples += devset_examples(page)
    return examples


def examples_from_corrections(
    parsed: ParsedPage, corrections: Iterable[dict]
) -> list[TitleExample]:
    """An editor's role corrections (`{"op": "role", "text": line, "role": …}`, as in
    articles/layout_corrections.py) of a parsed page -> the title blocks they teach.

    Each article whose title lines a correction names gives one example: its kicker, headline
    and subheadline lines with their roles, the corrected roles replacing the parser's. A
    correction may name one printed line of a headline the parser joined (西安市总工会 of
    西安市总工会验收…): the headline is split there. Lines corrected to 正文 or 版面装饰 leave
    the block; a 图片说明 stays as a caption."""
    roles = {
        c["text"].strip(): c["role"] for c in corrections if c.get("op") == "role" and c.get("text")
    }
    examples = []
    for article in parsed.articles:
        block = [
            (part, field)
            for field in ("kicker", "headline", "subheadline")
            if (line := getattr(article, field))
            for part in (_printed_lines(line, roles) if field == "headline" else [line])
        ]
        if not any(line.strip() in roles for line, _ in block):
            continue
        lines, labels = [], []
        for line, field in block:
            role = roles.get(line.strip(), field)
            if role in ROLES:
                lines.append(line)
                labels.append(role)
        if "headline" in labels:
            below = article.paragraphs[0] if article.paragraphs else ""
            examples.append(
                TitleExample(
                    tuple(lines), tuple(labels), below, epaper=is_epaper_export(parsed.banners)
                )
            )
    return examples


def _printed_lines(headline: str, corrected: dict[str, str]) -> list[str]:
    """A joined headline split where a corrected line begins or ends it."""
    for text in corrected:
        if text != headline and headline.startswith(text):
            return [text, headline[len(text) :]]
        if text != headline and headline.endswith(text):
            return [headline[: -len(text)], text]
    return [headline]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    opts = ap.parse_args(argv)
    model = TitleModel.fit(training_examples(opts.shared))
    opts.out.write_bytes(model.to_bytes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
