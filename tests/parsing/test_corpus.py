"""Accuracy on real newspaper pages generated from ../shared/corpus (with column breaks)."""

import json

import pytest

from articles.parsing import ParseError, decode_page, parse_page

pytestmark = pytest.mark.corpus


def test_corpus_pages_score_at_least_99_5_percent(corpus_pages, check_parse):
    passed = total = 0
    for page in sorted(corpus_pages.glob("*.txt")):
        expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        try:
            parsed = parse_page(decode_page(page.read_bytes())).to_dict()
        except ParseError:
            parsed = {}
        failures, checks = check_parse.score(expected, parsed)
        passed += checks - len(failures)
        total += checks
    assert total > 20_000
    assert passed / total >= 0.995, f"{passed}/{total} checks"
