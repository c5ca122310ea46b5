"""Whoosh's matcher trees evaluated with arrays give Whoosh's own matches and scores, bit for
bit; and the document-set postings read every block as Whoosh's matcher does. No database."""

import random

import numpy as np
import pytest
from whoosh import query
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import ListMatcher

from articles.search.docsets import (
    ByteBoundedCache,
    SegmentCache,
    SegmentDocs,
    bitset_mask,
    doc_array,
    docnums,
    mask_bitset,
    read_postings,
)
from articles.search.scoring import Unsupported, best, evaluate

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


@pytest.fixture(scope="module")
def index():
    """Three segments of shuffled words, one with a deleted document; a keyword field that
    is not scorable."""
    schema = Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(phrase=True),
        tags=KEYWORD(scorable=False, commas=True),
    )
    ix = RamStorage().create_index(schema)
    rng = random.Random(7)  # noqa: S311 (test data)
    number = 0
    for size in (40, 25, 15):
        writer = ix.writer()
        for _ in range(size):
            words = rng.choices(WORDS, k=rng.randint(1, 30))
            tags = ",".join(rng.sample(["甲", "乙", "丙"], k=rng.randint(0, 2)))
            writer.add_document(id=str(number), text=" ".join(words), tags=tags)
            number += 1
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "3")
    writer.commit(merge=False)
    return ix


def term(word: str, boost: float = 1.0) -> query.Term:
    return query.Term("text", word, boost=boost)


QUERIES = [
    term("工会"),
    term("工会", boost=2.5),
    query.Or([term("工会"), term("职工")]),  # two parts: a union of two
    query.Or([term("工会"), term("职工"), term("文化"), term("之家")]),  # preloaded array
    query.And([term("职工"), term("技能"), term("大赛")]),
    query.Or([query.And([term("劳动"), term("模范")]), term("文化")], boost=1.5),
    query.AndMaybe(term("北京"), term("春运")),
    query.AndNot(term("服务"), term("困难")),
    query.Require(term("帮扶"), term("工会")),
    query.Or([term("工会"), query.Term("tags", "甲")]),
    query.And([term("工会"), term("没有这个词")]),
    query.Or([term("工会"), term("没有这个词")]),
]


def whoosh_scores(matcher) -> dict[int, float]:
    scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


@pytest.mark.parametrize("q", QUERIES, ids=str)
def test_evaluated_tree_matches_and_scores_as_whoosh_steps_it(index, q):
    with index.searcher() as searcher:
        context = searcher.context()
        for leaf, _ in searcher.leaf_searchers():
            segment = SegmentDocs(leaf.reader(), SegmentCache())
            matched, scores = evaluate(q.matcher(leaf, context), segment)
            expected = whoosh_scores(q.matcher(leaf, context))
            live = bitset_mask(segment.live, segment.size)
            assert np.flatnonzero(matched & live).tolist() == sorted(expected)
            assert {d: scores[d] for d in expected} == expected  # the same floats


def test_an_unknown_matcher_is_left_to_whoosh(index):
    with index.searcher() as searcher:
        leaf, _ = searcher.leaf_searchers()[0]
        segment = SegmentDocs(leaf.reader(), SegmentCache())
        with pytest.raises(Unsupported):
            evaluate(ListMatcher([1, 2]), segment)
        phrase = query.Phrase("text", ["工会", "职工"])
        with pytest.raises(Unsupported):
            evaluate(phrase.matcher(leaf, searcher.context()), segment)


def test_best_takes_highest_scores_and_breaks_ties_by_lower_document():
    docs = np.array([9, 2, 5, 7, 1, 4])
    scores = np.array([1.0, 3.0, 3.0, 0.5, 2.0, 3.0])
    top_docs, top_scores = best(docs, scores, 4)
    assert top_docs.tolist() == [2, 4, 5, 1]
    assert top_scores.tolist() == [3.0, 3.0, 3.0, 2.0]
    assert best(docs, scores, 10)[0].tolist() == [2, 4, 5, 1, 9, 7]


def test_postings_read_at_once_are_those_whoosh_steps_through(index):
    with index.searcher() as searcher:
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            for word in WORDS:
                if ("text", word) not in reader:
                    continue
                postings = read_postings(reader.postings("text", word))
                stepped = reader.postings("text", word)
                if hasattr(stepped, "child"):  # deleted documents are read, and masked later
                    stepped = stepped.child
                    stepped.reset()
                expected = list(stepped.items_as("weight"))
                assert (
                    list(zip(postings.ids.tolist(), postings.weights.tolist(), strict=True))
                    == expected
                )


def test_positions_come_from_the_blocks_that_hold_the_documents():
    """A segment whose postings of a word span several blocks (Whoosh writes 128 a block)."""
    ix = RamStorage().create_index(Schema(text=TEXT(phrase=True)))
    rng = random.Random(3)  # noqa: S311 (test data)
    with ix.writer() as writer:
        for _ in range(700):
            writer.add_document(text=" ".join(rng.choices(WORDS, k=rng.randint(1, 20))))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        segment = SegmentDocs(reader, SegmentCache())
        postings = segment.postings("text", "工会")
        assert len(postings.block_starts) > 2
        targets = postings.ids[5::37]
        expected = dict(reader.postings("text", "工会").items_as("positions"))
        found = dict(segment._positions("text", "工会", targets))
        assert found == {docnum: expected[docnum] for docnum in targets.tolist()}
        again = dict(segment._positions("text", "工会", targets[::2]))  # kept blocks
        assert again == {docnum: expected[docnum] for docnum in targets[::2].tolist()}


def test_bitsets_and_arrays_convert_both_ways():
    bits = (1 << 0) | (1 << 9) | (1 << 63) | (1 << 64) | (1 << 200)
    assert doc_array(bits).tolist() == [0, 9, 63, 64, 200]
    assert docnums(bits, limit=2) == [0, 9]
    assert docnums(0) == []
    mask = bitset_mask(bits, 201)
    assert mask.dtype == bool and mask.sum() == 5
    assert mask_bitset(mask) == bits


def test_the_most_recently_used_values_are_kept_within_their_bytes():
    cache = ByteBoundedCache(max_bytes=10)
    cache.put(("a",), "A", 4)
    cache.put(("b",), "B", 4)
    assert cache.get(("a",)) == "A"  # now the most recently used
    cache.put(("c",), "C", 4)
    assert (cache.get(("a",)), cache.get(("b",)), cache.get(("c",))) == ("A", None, "C")
    assert cache.bytes == 8
