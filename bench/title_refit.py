"""How long the archive's lazy refit takes (articles.title_learning): fitting one paper's overlay
on its taught examples, at the sizes an archive may reach, beside one page's parse.

    .venv/bin/python bench/title_refit.py        # needs ../shared/devset for real title blocks

The title blocks are the devset's, each paper's own; the larger sizes repeat them (a refit's
cost follows the number of examples, not their variety).
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.parsing import base_model, decode_page, parse_page  # noqa: E402
from articles.parsing.training import (  # noqa: E402
    DEVSET_PAPERS,
    devset_examples,
    devset_pages,
    page_id,
    paper_of,
)

SHARED = REPO.parent / "shared"
SIZES = (10, 50, 200, 1000)


def timed(action, repeat: int = 5) -> float:
    """The median of `repeat` runs, in milliseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def main() -> int:
    if not (SHARED / "devset").is_dir():
        print(f"no devset at {SHARED / 'devset'}: nothing to measure")
        return 1
    pages = devset_pages(SHARED)
    by_paper = {paper: [] for paper in DEVSET_PAPERS}
    for page in pages:
        by_paper[paper_of(page_id(page))].extend(devset_examples(page))
    model = base_model()
    print("paper            examples  refit ms")
    for paper, examples in by_paper.items():
        if examples:
            ms = timed(lambda paper=paper, examples=examples: model.with_examples(paper, examples))
            print(f"{paper:<12} {len(examples):>10} {ms:>9.1f}")
    pool = [e for examples in by_paper.values() for e in examples]
    print("\nexamples  refit ms (one paper)")
    for size in SIZES:
        examples = list(itertools.islice(itertools.cycle(pool), size))
        ms = timed(lambda examples=examples: model.with_examples("报", examples), repeat=3)
        print(f"{size:>8} {ms:>9.1f}")
    texts = [decode_page(page.read_bytes()) for page in pages[:8]]
    ms = timed(lambda: [parse_page(text) for text in texts]) / len(texts)
    print(f"\none page's parse, for scale: {ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
