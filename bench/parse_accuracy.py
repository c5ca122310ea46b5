"""Parser accuracy on the real-newspaper corpus, scored by the shared check_parse rules.

    .venv/bin/python bench/parse_accuracy.py [--shared PATH] [--seed N] [--no-breaks]

Generates every corpus page with ../shared/corpus/make_pages.py (column breaks on unless
--no-breaks) into a temporary folder, parses each page, and prints the aggregate score, the
failures grouped by kind with a few examples, the speed, and the seed page's score.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles import parsing  # noqa: E402

KINDS = [
    ("banners", "banners:"),
    ("unexpected article", "unexpected article:"),
    ("missing article", "missing article:"),
    ("missing article (its checks)", "(missing article)"),
    ("kicker", ": kicker expected"),
    ("subheadline", ": subheadline expected"),
    ("kind", ": kind expected"),
    ("credits", ": credits expected"),
    ("paragraph count", " paragraphs expected, got"),
    ("paragraph intact", " not found intact"),
    ("organizations", ": no organization of"),
    ("forbidden", ": generic phrases taken"),
]


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_parse", shared / "tools" / "check_parse.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kind_of(failure: str) -> str:
    return next((kind for kind, marker in KINDS if marker in failure), "other")


def parse_file(path: Path) -> dict:
    try:
        return parsing.parse_page(parsing.decode_page(path.read_bytes())).to_dict()
    except parsing.ParseError:
        return {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-breaks", action="store_true", help="pages without column breaks")
    ap.add_argument("--examples", type=int, default=3, help="examples shown per kind of failure")
    opts = ap.parse_args(argv)

    scorer = load_scorer(opts.shared)
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, str(opts.shared / "corpus" / "make_pages.py"), "--out", tmp]
        args += ["--seed", str(opts.seed)] + ([] if opts.no_breaks else ["--breaks"])
        subprocess.run(args, check=True, capture_output=True)
        pages = sorted(Path(tmp).glob("*.txt"))
        parsing.tokenizer()  # dictionary load is start-up cost, not parsing speed
        passed = total = 0
        by_kind: dict[str, list[str]] = collections.defaultdict(list)
        started = time.perf_counter()
        parsed = {page: parse_file(page) for page in pages}
        elapsed = time.perf_counter() - started
        for page, result in parsed.items():
            expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
            failures, checks = scorer.score(expected, result)
            total += checks
            passed += checks - len(failures)
            for failure in failures:
                by_kind[kind_of(failure)].append(f"{page.stem}: {failure}")

    breaks = "without" if opts.no_breaks else "with"
    print(f"corpus pages ({breaks} column breaks, seed {opts.seed}): {len(pages)}")
    print(f"score: {passed}/{total} checks = {100 * passed / total:.2f}%")
    print(f"speed: {len(pages) / elapsed:.1f} pages/s ({elapsed:.2f} s)")
    print("failures by kind:")
    for kind in [k for k, _ in KINDS] + ["other"]:
        if by_kind.get(kind):
            print(f"  {kind}: {len(by_kind[kind])}")
            for example in by_kind[kind][: opts.examples]:
                print(f"    {example[:160]}")
    seed_text = REPO / "tests" / "data" / "seed_page.txt"
    seed_expected = json.loads(seed_text.with_suffix(".expected.json").read_text(encoding="utf-8"))
    failures, checks = scorer.score(seed_expected, parse_file(seed_text))
    print(f"seed page: {checks - len(failures)}/{checks} checks")
    for failure in failures:
        print(f"    {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
