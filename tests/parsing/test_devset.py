"""Accuracy on the real union-paper pages of ../shared/devset (the parser's real-life input)."""

import json

import pytest

from articles.parsing import decode_page, parse_page
from tests.conftest import DEVSET

pytestmark = pytest.mark.devset


def _score(check_parse, page):
    expected = json.loads(page.with_name(page.stem + ".expected.json").read_text(encoding="utf-8"))
    parsed = parse_page(decode_page(page.read_bytes())).to_dict()
    failures, checks = check_parse.score(expected, parsed)
    return checks - len(failures), checks, failures


def _pages():
    """Both batches: pages/ (the first eight) and pages2/ (the sixteen of the second batch)."""
    return sorted(DEVSET.parent.glob("pages*/*.txt")) if DEVSET.is_dir() else []


def test_devset_scores_at_least_97_percent_overall(check_parse):
    scores = [_score(check_parse, page)[:2] for page in _pages()]
    passed, total = sum(p for p, _ in scores), sum(t for _, t in scores)
    assert len(scores) >= 24
    assert passed / total >= 0.97, f"{passed}/{total} checks"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_devset_page_scores_under_90_percent(check_parse, page):
    passed, total, failures = _score(check_parse, page)
    assert passed / total >= 0.90, "\n".join(failures)
