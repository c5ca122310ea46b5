"""Small helpers the search tests share."""

import threading
from pathlib import Path

from haystack.query import SearchQuerySet

from articles.search.service import words_or_exact

# The vocabulary of the shuffled test documents.
WORDS = [
    "工会",
    "职工",
    "技能",
    "大赛",
    "北京",
    "劳动",
    "模范",
    "文化",
    "之家",
    "春运",
    "服务",
    "困难",
    "帮扶",
]


def count(word: str = "工会") -> int:
    """Documents the index finds for `word`, as the search service asks for it."""
    return SearchQuerySet().filter(words_or_exact(word)).count()


def in_thread(function):
    """What `function` returns when run by another thread (with its own haystack backend): a
    second reader or writer."""
    results = []
    thread = threading.Thread(target=lambda: results.append(function()))
    thread.start()
    thread.join()
    return results[0]


def index_file(folder: str | Path, suffix: str) -> Path:
    """The index's one file ending with `suffix` (a single-segment test index)."""
    (found,) = (path for path in Path(folder).iterdir() if path.name.endswith(suffix))
    return found


def cut_in_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_bytes(path: Path, count: int = 8) -> None:
    """Invert `count` bytes in the middle of the file, as a bad disk block would."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for position in range(middle, min(middle + count, len(data))):
        data[position] ^= 0xFF
    path.write_bytes(bytes(data))


def garble_table_of_contents(folder: str | Path) -> None:
    for toc in Path(folder).glob("*.toc"):
        toc.write_bytes(b"not a table of contents" * 4)


# Each way a file of the index is damaged, and the words the report names it with.
DAMAGE = {
    "term dictionary cut in half": (lambda f: cut_in_half(index_file(f, ".trm")), "segment "),
    "postings garbled": (lambda f: flip_bytes(index_file(f, ".pst")), "terms or postings"),
    "stored fields garbled": (
        lambda f: flip_bytes(index_file(f, "._stored.col")),
        "stored fields",
    ),
    "garbage table of contents": (garble_table_of_contents, "table of contents unreadable"),
}


def index_seven_articles():
    """One page of seven articles in one segment, long enough for compressed posting blocks;
    returns the page."""
    from articles.index_queue import deferred_index_updates
    from articles.search.indexing import apply_pending_updates
    from tests.factories import make_article, make_page

    with deferred_index_updates():  # one commit, so one segment
        page = make_page()
        for n in range(1, 8):
            paragraphs = ["工会组织职工参加技能大赛。" * 30, f"第{n}段"]
            make_article(page, seq=n, headline=f"职工报道{n}", paragraphs=paragraphs)
    apply_pending_updates()
    return page
