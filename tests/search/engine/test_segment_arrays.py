"""A segment's postings, positions, facet values and document sets as arrays: what Whoosh's
own readers give, read at once. No database."""

import datetime
import io
import itertools
import random
from collections import Counter

import numpy as np
import pytest
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.query import DateRange, NumericRange

from articles.search.engine.docsets import Matches, SegmentCache, SegmentDocs
from articles.search.engine.fields import FacetKeyword
from articles.search.engine.segment_arrays import (
    ByteBoundedCache,
    bitset_mask,
    bitset_of,
    doc_array,
    docnums,
    facet_values,
    field_lengths,
    mask_bitset,
    read_postings,
)
from tests.search.helpers import WORDS


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

        def positions(targets: np.ndarray) -> dict[int, list[int]]:
            counts, found = segment._positions("text", "工会", targets)
            split = np.split(found, np.cumsum(counts)[:-1]) if len(counts) else []
            return {d: p.tolist() for d, p in zip(targets.tolist(), split, strict=True)}

        assert positions(targets) == {docnum: expected[docnum] for docnum in targets.tolist()}
        again = positions(targets[::2])  # kept blocks
        assert again == {docnum: expected[docnum] for docnum in targets[::2].tolist()}
        assert positions(targets[:0]) == {}


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


def test_facet_values_are_kept_beside_their_segment_and_go_with_it(tmp_path):
    storage = FileStorage(str(tmp_path)).create()
    ix = storage.create_index(Schema(id=ID(unique=True), unions=FacetKeyword(stored=False)))
    with ix.writer(compound=False) as writer:  # as ArticleFileIndex writes
        writer.add_document(id="1", unions="北京市总工会,朝阳区总工会")
        writer.add_document(id="2", unions="")
        writer.add_document(id="3", unions="朝阳区总工会")
    with ix.reader() as reader:
        decoded = facet_values(reader, "unions")
        [kept] = tmp_path.glob("*.facets_unions.npz")
        assert kept.name.startswith(reader.segment().segment_id())
        again = facet_values(reader, "unions")
    assert decoded.names == again.names == ["北京市总工会", "朝阳区总工会"]
    pairs = list(zip(again.docs.tolist(), again.numbers.tolist(), strict=True))
    assert pairs == [(0, 0), (0, 1), (2, 1)]
    assert again.valueless.tolist() == [False, True, False]
    writer = ix.writer(compound=False)  # a merge into one new segment: the old one's file goes
    writer.add_document(id="4", unions="北京市总工会")
    writer.commit(optimize=True)
    assert not kept.exists()


def test_a_damaged_facet_file_is_decoded_and_written_again(tmp_path):
    storage = FileStorage(str(tmp_path)).create()
    ix = storage.create_index(Schema(id=ID(unique=True), unions=FacetKeyword(stored=False)))
    with ix.writer(compound=False) as writer:
        writer.add_document(id="1", unions="北京市总工会")
    with ix.reader() as reader:
        kept = tmp_path / f"{reader.segment().segment_id()}.facets_unions.npz"
        foreign = io.BytesIO()  # another segment's values: five documents
        np.savez(
            foreign,
            names=np.array(["别的工会"]),
            docs=np.zeros(1, np.int32),
            numbers=np.zeros(1, np.int32),
            valueless=np.zeros(5, bool),
        )
        for damage in (b"not a zip file", b"", foreign.getvalue()):
            kept.write_bytes(damage)
            assert facet_values(reader, "unions").names == ["北京市总工会"]
            assert facet_values(reader, "unions").names == ["北京市总工会"]  # the file again
            assert kept.read_bytes() != damage


def test_field_lengths_are_those_bm25_reads(index):
    with index.searcher() as searcher:
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            expected = [
                reader.doc_field_length(n, "text", 1) or 1 for n in range(reader.doc_count_all())
            ]
            assert field_lengths(reader, "text").tolist() == expected
        everything = searcher.reader()  # not a segment: read a document at a time
        expected = [
            everything.doc_field_length(n, "text", 1) or 1
            for n in range(everything.doc_count_all())
        ]
        assert field_lengths(everything, "text").tolist() == expected


@pytest.mark.parametrize(
    "how_many", [[0, 0, 1, 2, 3], [1]], ids=["none to three a document", "one a document"]
)
def test_facets_count_few_matches_and_many_alike(tmp_path, how_many):
    """Few matches look up their own values, many read every value: both count as a walk
    over the matched documents' values does, with several values a document or one."""
    storage = FileStorage(str(tmp_path)).create()
    ix = storage.create_index(Schema(id=ID(unique=True), unions=FacetKeyword(stored=False)))
    rng = random.Random(5)  # noqa: S311 (test data)
    names = ["北京市总工会", "朝阳区总工会", "海淀区总工会", "全总"]
    chosen = [rng.sample(names, k=rng.choice(how_many)) for _ in range(600)]
    with ix.writer(compound=False) as writer:
        for number, unions in enumerate(chosen):
            writer.add_document(id=str(number), unions=",".join(unions))
    with ix.reader() as reader:
        segment = SegmentDocs(reader, SegmentCache())
        for count in (0, 1, 5, 11, 12, 300, 600):
            picked = rng.sample(range(600), k=count)
            matches = Matches(sum(1 << docnum for docnum in picked), 600)
            assert matches.few == (count * Matches.FEW < 600)
            expected = Counter(name for docnum in picked for name in chosen[docnum])
            expected[None] = sum(not chosen[docnum] for docnum in picked)
            assert segment.counts("unions", matches) == +expected
        table = segment.facet_table("unions")
        assert (table.starts is None) == (how_many == [1])  # one a document: no starts kept


def test_numeric_ranges_are_kept_by_their_bounds():
    ix = RamStorage().create_index(Schema(id=ID(unique=True), year=NUMERIC(sortable=True)))
    with ix.writer() as writer:
        for number in range(300):
            writer.add_document(id=str(number), year=1990 + number % 40)
    with ix.reader() as reader:
        segment = SegmentDocs(reader, SegmentCache())
        for _ in range(2):  # the second time from the cache
            for start, end, exclusive in (
                (1995, 1999, False),
                (1995, 1999, True),
                (2020, None, False),
            ):
                found = segment.docs(NumericRange("year", start, end, endexcl=exclusive))
                expected = [
                    n
                    for n in range(300)
                    if 1990 + n % 40 >= start
                    and (end is None or 1990 + n % 40 < end + (not exclusive))
                ]
                assert docnums(found) == expected


def test_date_ranges_find_what_whooshs_terms_find():
    """Read from the dates the sort reads, they match what the range's terms match, with a
    bound or two, exclusive or not, and a document without a date left out."""
    ix = RamStorage().create_index(
        Schema(id=ID(unique=True), date=DATETIME(sortable=True), other=DATETIME())
    )
    rng = random.Random(3)  # noqa: S311 (test data)
    first = datetime.datetime(1949, 10, 1)
    dates = [first + datetime.timedelta(days=rng.randrange(30_000)) for _ in range(400)]
    with ix.writer() as writer:
        for number, date in enumerate(dates):
            if number % 50 == 7:
                writer.add_document(id=str(number))  # no date
            else:
                writer.add_document(id=str(number), date=date, other=date)
    bounds = [*rng.sample(dates, 6), datetime.datetime(1, 1, 1), None]
    with ix.searcher() as searcher:
        reader = searcher.reader()
        segment = SegmentDocs(reader, SegmentCache())
        for start, end in itertools.product(bounds, bounds):
            for startexcl, endexcl in itertools.product((False, True), repeat=2):
                for field in ("date", "other"):  # sortable, and read by its terms
                    q = DateRange(field, start, end, startexcl=startexcl, endexcl=endexcl)
                    expected = bitset_of(q.matcher(searcher).all_ids(), reader.doc_count_all())
                    assert segment.docs(q) == expected, (field, start, end, startexcl, endexcl)
        fast = SegmentDocs(reader, SegmentCache())
        assert fast._date_range(DateRange("date", None, dates[0])) is not None
        assert fast._date_range(DateRange("other", dates[0], None)) is None  # not sortable
        # Sorted by date, the documents without one last (the column's 2**64 - 1).
        assert fast.order("date").tolist() == sorted(
            range(len(dates)),
            key=lambda n: (n % 50 == 7, dates[n] if n % 50 != 7 else first, n),
        )
