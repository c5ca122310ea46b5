"""Page PDFs: the seed and devset pages printed by Chromium (tests/printed_pages.py), read back
through the text layer, parsed, and scored against their expected parse beside the score of
their .txt; then the time to print, to read the text layer, and to render the page image.

    .venv/bin/python bench/pdf_pages.py [--shared PATH] [--columns 4] [--pages N]

Acceptance (issue 23): the seed page at >= 95% of its 81 checks, each devset page at >= 95%
of the checks its .txt scores.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles import parsing  # noqa: E402
from articles.pdf.render import render_pdf  # noqa: E402
from articles.pdf.text import read_pdf_text  # noqa: E402
from tests.printed_pages import printed_page  # noqa: E402

READER_WIDTH, THUMB_WIDTH = 1400, 160  # articles.page_images.WIDTHS


def scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("check_parse", shared / "tools/check_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def passed(check_parse, expected: dict, text: str) -> tuple[int, int]:
    try:
        parsed = parsing.parse_page(text).to_dict()
    except parsing.ParseError:
        parsed = {"banners": [], "articles": []}
    failures, checks = check_parse.score(expected, parsed)
    return checks - len(failures), checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--pages", type=int, default=0, help="only the first N devset pages")
    args = parser.parse_args()
    check_parse = scorer(args.shared)
    seed = args.shared / "seed/000_1d8a5dd4ee0f57ba.txt"
    devset = sorted((args.shared / "devset").glob("pages*/*.txt"))
    pages = [seed, *(devset[: args.pages] if args.pages else devset)]
    rows, below = [], []
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            expected_file = (
                args.shared / "seed/expected.json"
                if page == seed
                else page.with_name(page.stem + ".expected.json")
            )
            expected = json.loads(expected_file.read_text(encoding="utf-8"))
            started = time.perf_counter()
            pdf = printed_page(page, Path(folder) / f"{page.stem}.pdf", args.columns).read_bytes()
            printed = time.perf_counter() - started
            started = time.perf_counter()
            text = read_pdf_text(pdf, page.name).text
            read = time.perf_counter() - started
            started = time.perf_counter()
            render_pdf(pdf, page.name, READER_WIDTH)
            rendered = time.perf_counter() - started
            started = time.perf_counter()
            render_pdf(pdf, page.name, THUMB_WIDTH)
            thumb = time.perf_counter() - started
            from_txt = passed(check_parse, expected, parsing.decode_page(page.read_bytes()))
            from_pdf = passed(check_parse, expected, text)
            share = from_pdf[0] / from_txt[0] if from_txt[0] else 1.0
            rows.append((from_txt, from_pdf, printed, read, rendered, thumb))
            if share < 0.95:
                below.append(page.name)
            print(
                f"{page.parent.name}/{page.name:28} txt {from_txt[0]:3}/{from_txt[1]:<3} "
                f"pdf {from_pdf[0]:3}/{from_pdf[1]:<3} ({share:6.1%} of txt)  "
                f"print {printed:4.1f}s  text layer {read * 1000:5.0f} ms  "
                f"image {rendered * 1000:5.0f} ms  thumbnail {thumb * 1000:4.0f} ms",
                flush=True,
            )
    txt = sum(r[0][0] for r in rows)
    pdf = sum(r[1][0] for r in rows)
    count = len(rows)
    print(
        f"\n{count} pages: pdf {pdf} checks passed against txt {txt} ({pdf / txt:.1%}); "
        f"per page: text layer {sum(r[3] for r in rows) / count * 1000:.0f} ms, "
        f"image {READER_WIDTH}px {sum(r[4] for r in rows) / count * 1000:.0f} ms, "
        f"thumbnail {sum(r[5] for r in rows) / count * 1000:.0f} ms, "
        f"Chromium print {sum(r[2] for r in rows) / count:.1f} s"
    )
    print("pages under 95% of their txt: " + (", ".join(below) or "none"))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
