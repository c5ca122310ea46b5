"""haystack's Whoosh backend with Chinese analysis and substring recall.

Settings: `"ENGINE": "articles.search.backend.ArticleWhooshEngine"`. Compared with haystack's
engine, the document field is segmented by jieba instead of the English StemmingAnalyzer, a
`BigramField` indexes the same text as character bigrams, and other strings and lists are
untokenized (filters and facets see whole names) with a column that facets read.

Query semantics of the document field (`content=` in haystack):
- a word `北京市总工会` finds documents containing all its jieba words, or the string itself;
  documents containing the string score `EXACT_SCORE` more, so they always rank first;
- a quoted `"北京市总工会"` finds only documents containing the string, ranked by its words.

How a search runs (`ArticleSearchBackend.search`): the query becomes a bitset of matching
documents per segment (`SegmentDocs`, term and phrase sets cached per immutable segment), so
hits and facet counts never step through the matches; only the requested page is scored by
Whoosh or sorted by column (`DocSetSearch`). Answers equal haystack's own Whoosh search
(tests/search/test_backend.py). Writes: one writer at a time, waiting up to WRITE_TIMEOUT;
large update_index batches are analysed by INDEX_PROCS worker processes.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import operator
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from django.conf import settings
from django.utils.encoding import force_str
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.fields import CharField
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import columns, query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import TopCollector
from whoosh.fields import BOOLEAN, DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.idsets import DocIdSet
from whoosh.index import FileIndex
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher
from whoosh.multiproc import MpWriter
from whoosh.qparser import FuzzyTermPlugin, PhrasePlugin, QueryParser
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from articles.parsing import tokenizer
from articles.search.analysis import BigramTokenizer, JiebaTokenizer, compact, query_words

# Larger than any sum of BM25 term scores a query of a few dozen words can reach.
EXACT_SCORE = 10_000.0
# Seconds a write waits for another writer (Whoosh allows one) before it fails; connection
# option WRITE_TIMEOUT. A failed write raises, so the caller can keep the update for later.
WRITE_TIMEOUT = 30.0
# Articles per update_index batch (connection option BATCH_SIZE; haystack's default is 1000):
# per term costs of a segment are paid once for more documents.
BATCH_SIZE = 4000
# Processes indexing a batch of PARALLEL_BATCH or more articles (connection option INDEX_PROCS),
# each with a posting buffer of WORKER_LIMIT_MB before it spills to disk.
INDEX_PROCS = min(os.cpu_count() or 1, 4)
PARALLEL_BATCH = 1000
WORKER_LIMIT_MB = 512


class ExactScoreQuery(query.ConstantScoreQuery):
    """The exact-string match, scoring EXACT_SCORE.

    Whoosh's ConstantScoreQuery has no `boost`, which query normalisation reads when it
    flattens nested And/Or queries (`;'0 0.` crashed the search, found by bench/fuzz.py).
    """

    boost = 1.0


class BigramField(CharField):
    """The document text again, indexed as character bigrams for substring matching."""

    field_type = "bigram"


def text_field() -> TEXT:
    """jieba words with positions (phrases work); not stored, snippets come from the database."""
    return TEXT(analyzer=JiebaTokenizer(), phrase=True, stored=False)


def bigram_field() -> TEXT:
    """Positions make the phrase of a query's bigrams mean "contains this string"."""
    return TEXT(analyzer=BigramTokenizer(), phrase=True, stored=False)


class FacetColumn(columns.VarBytesListColumn):
    """A document's values, read back as text ([None] when it has none).

    haystack facets with allow_overlap, and Whoosh then reads a column that stores lists; without
    one it walks every posting of the field on every search (about 1 s at 100k articles).
    """

    class Writer(columns.VarBytesListColumn.Writer):
        def add(self, docnum: int, values: list) -> None:
            # Segment merges copy values as the Reader returns them.
            encoded = [v.encode() if isinstance(v, str) else v for v in values if v is not None]
            super().add(docnum, encoded)

    class Reader(columns.VarBytesListColumn.Reader):
        def __getitem__(self, docnum: int) -> list[str | None]:
            return [value.decode() for value in super().__getitem__(docnum)] or [None]


class FacetKeyword(KEYWORD):
    """Comma-separated names (haystack's form of a list), whole, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored, commas=True, scorable=True)
        # KEYWORD(sortable=column) ignores the column and takes its default.
        self.column_type = FacetColumn()

    def to_column_value(self, value: str | list[str]) -> list[str]:
        names = value.split(",") if isinstance(value, str) else value
        return [name.strip() for name in names if name.strip()]

    def from_column_value(self, value: list) -> list:
        return value


class FacetID(WHOOSH_ID):
    """One untokenized string, with a FacetColumn."""

    def __init__(self, stored: bool) -> None:
        super().__init__(stored=stored)
        self.column_type = FacetColumn()

    def to_column_value(self, value: str) -> list[str]:
        return [value] if value else []

    def from_column_value(self, value: list) -> list:
        return value


class ArticleQueryParser(QueryParser):
    """Parses the content field into jieba and bigram queries; other fields as Whoosh does."""

    class ExactPhrasePlugin(PhrasePlugin):
        """A quoted string on the content field means that exact string."""

        class PhraseNode(PhrasePlugin.PhraseNode):
            def query(self, parser: ArticleQueryParser) -> query.Query:
                fieldname = self.fieldname or parser.fieldname
                if fieldname != parser.fieldname:
                    return super().query(parser)
                return parser.exact_query(self.text, boost=self.boost)

        class PhraseTagger(PhrasePlugin.PhraseTagger):
            def create(self, parser: QueryParser, match) -> PhrasePlugin.PhraseNode:
                slop = int(match.group("slop")) if match.group("slop") else 1
                node_class = ArticleQueryParser.ExactPhrasePlugin.PhraseNode
                return node_class(match.group("text"), match.start("text"), slop)

        def taggers(self, parser: QueryParser) -> list:
            return [(self.PhraseTagger(self.expr), 0)]

    def __init__(self, fieldname: str, bigram_fieldname: str, schema: Schema) -> None:
        super().__init__(fieldname, schema)
        self.bigram_fieldname = bigram_fieldname
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugins([self.ExactPhrasePlugin(), FuzzyTermPlugin()])

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> query.Query:
        """haystack's match-all `*` (a search with no text) is every live document.

        Whoosh reads it as Every(content field), which walks every posting of every term.
        """
        if text.strip() == "*":
            return query.Every()
        return super().parse(text, normalize=normalize, debug=debug)

    def substring_query(self, text: str) -> query.Query | None:
        """Documents whose text contains `text` (whitespace and case aside), and no others."""
        chars = compact(text)
        if not chars:
            return None
        if len(chars) == 1:
            # A bigram starting with the character, or a line ending with it.
            return query.Prefix(self.bigram_fieldname, chars)
        grams = [chars[i : i + 2] for i in range(len(chars) - 1)]
        if len(grams) == 1:
            return query.Term(self.bigram_fieldname, grams[0])
        return query.Phrase(self.bigram_fieldname, grams)

    def _exact_and_words(self, text: str) -> tuple[query.Query, list[query.Query]] | None:
        """The exact-string query (constant score) and one term query per jieba word."""
        substring = self.substring_query(text)
        if substring is None:
            return None
        exact = ExactScoreQuery(substring, EXACT_SCORE)
        return exact, [query.Term(self.fieldname, word) for word in query_words(text)]

    def exact_query(self, text: str, boost: float = 1.0) -> query.Query:
        """The exact string, ranked by how well its jieba words score."""
        parts = self._exact_and_words(text)
        if parts is None:
            return query.NullQuery
        exact, words = parts
        return query.AndMaybe(exact, query.Or(words, boost=boost)) if words else exact

    def word_query(self, text: str, boost: float = 1.0) -> query.Query:
        """All jieba words of `text`, or `text` itself; the latter ranks first."""
        parts = self._exact_and_words(text)
        if parts is None:
            return query.NullQuery
        exact, words = parts
        return query.Or([query.And(words, boost=boost), exact]) if words else exact

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        if fieldname == self.fieldname and termclass is query.Term and tokenize:
            return self.word_query(text, boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class DocSet(DocIdSet):
    """A set of document numbers held as an int bitset; Whoosh's search filter."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self._bytes = bits.to_bytes((bits.bit_length() + 7) // 8, "little")

    def __contains__(self, docnum: int) -> bool:
        index = docnum >> 3
        return index < len(self._bytes) and bool(self._bytes[index] >> (docnum & 7) & 1)

    def __iter__(self) -> Iterator[int]:
        return iter(docnums(self.bits))

    def __len__(self) -> int:
        return self.bits.bit_count()


# The bit offsets set in each byte value, for walking a bitset a byte at a time.
_BYTE_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def docnums(bits: int, limit: int | None = None) -> list[int]:
    """The document numbers of a bitset in order, or its first `limit`."""
    found: list[int] = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = index << 3
            found.extend(base + bit for bit in _BYTE_BITS[byte])
            if limit is not None and len(found) >= limit:
                return found[:limit]
    return found


def _bitset(ids: Iterable[int], size: int) -> int:
    buffer = bytearray((size >> 3) + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def _blocks(matcher) -> Iterator[W3LeafMatcher]:
    """The matcher at each block of its postings (Whoosh reads a block of ids and values at
    once; stepping through them one posting at a time costs more than the reading)."""
    if isinstance(matcher, FilterMatcher):  # deleted documents: the live mask removes them
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher):
        raise TypeError(matcher)
    while matcher.is_active():
        matcher._read_ids()
        yield matcher
        matcher._next_block()


class SegmentCache:
    """What searches reuse of one segment, which never changes once written: document sets of
    terms and phrases (the most recently used), facet values and sort keys of each document."""

    MAX_SETS = 2048

    def __init__(self) -> None:
        self.sets: dict[tuple, int] = {}
        self.columns: dict[str, list] = {}
        self.keys: dict[str, list] = {}

    def get(self, key: tuple) -> int | None:
        bits = self.sets.pop(key, None)
        if bits is not None:
            self.sets[key] = bits  # now the most recently used
        return bits

    def put(self, key: tuple, bits: int) -> int:
        self.sets[key] = bits
        if len(self.sets) > self.MAX_SETS:
            del self.sets[next(iter(self.sets))]
        return bits


class SegmentDocs:
    """The documents a query matches in one segment, as an int bitset (bit n: document n).

    And/Or/Not become integer operations; terms are read a block at a time and kept in the
    segment's cache, so a search costs little more than the number of its terms, where a
    Whoosh matcher steps through every matching document in Python.
    """

    def __init__(self, reader: IndexReader, cache: SegmentCache) -> None:
        self.reader = reader
        self.cache = cache
        self.size = reader.doc_count_all()
        self.everything = (1 << self.size) - 1
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        self.live = self.everything & ~_bitset(deleted, self.size)

    def docs(self, q: query.Query) -> int:
        kind = type(q)
        if kind is query.Term:
            return self.term(q.fieldname, q.text)
        if kind is query.And or kind is query.Require:
            bits = self.live
            for sub in q.children():
                bits &= self.docs(sub)
                if not bits:
                    break
            return bits
        if kind is query.Or and not q.minmatch:
            return functools.reduce(operator.or_, map(self.docs, q.children()), 0)
        if kind is query.Not:
            return self.live & ~self.docs(q.query)
        if kind is query.AndNot:
            return self.docs(q.a) & ~self.docs(q.b)
        if kind is query.AndMaybe:
            return self.docs(q.a)
        if kind is query.Every and q.fieldname in (None, "", "*"):
            return self.live
        if kind is query.Phrase and q.slop == 1:
            return self.phrase(q.fieldname, tuple(q.words))
        if isinstance(q, query.ConstantScoreQuery):
            return self.docs(q.child)
        if q is query.NullQuery:
            return 0
        if isinstance(q, query.MultiTerm) and not isinstance(q, query.FuzzyTerm):
            bits = 0
            for btext in q._btexts(self.reader):
                bits |= self.term(q.fieldname, btext)
            return bits
        if isinstance(q, query.NumericRange):
            return self.docs(q._compile_query(self.reader))
        with Searcher(self.reader, closereader=False) as searcher:  # anything else
            return _bitset(q.matcher(searcher).all_ids(), self.size)

    def term(self, fieldname: str, text: str | bytes) -> int:
        key = (fieldname, text)
        bits = self.cache.get(key)
        if bits is None:
            try:
                matcher = self.reader.postings(fieldname, text)
            except TermNotFound:
                bits = 0
            else:
                ids = (docnum for block in _blocks(matcher) for docnum in block._ids)
                bits = _bitset(ids, self.size)
            self.cache.put(key, bits)
        return bits

    def phrase(self, fieldname: str, words: tuple[str, ...]) -> int:
        """Documents with the words at consecutive positions: the bigrams of a string."""
        key = ("phrase", fieldname, words)
        bits = self.cache.get(key)
        if bits is not None:
            return bits
        candidates = self.live
        for word in words:
            candidates &= self.term(fieldname, word)
        if len(words) < 2 or not candidates:
            return self.cache.put(key, candidates)
        field = self.reader.schema[fieldname]
        # Start positions of the phrase in each candidate; the rarest word narrows them first.
        starts: dict[int, set[int]] = {}
        order = sorted(set(words), key=lambda w: self.reader.doc_frequency(fieldname, w))
        for word in order:
            offsets = [i for i, w in enumerate(words) if w == word]
            positions = self._positions(fieldname, word, docnums(candidates), field)
            for docnum, found in positions.items():
                here = {p - offset for p in found for offset in offsets}
                starts[docnum] = starts[docnum] & here if docnum in starts else here
                if not starts[docnum]:
                    candidates &= ~(1 << docnum)
        return self.cache.put(key, candidates)

    def _positions(self, fieldname: str, word: str, targets: list[int], field) -> dict:
        """{document: positions of `word`} for the target documents, sorted ascending."""
        found = {}
        i = 0
        decode = field.format.decode_positions
        for block in _blocks(self.reader.postings(fieldname, word)):
            if i == len(targets):
                break
            ids = block._ids
            if targets[i] > ids[-1]:
                continue
            block._read_values()
            while i < len(targets) and targets[i] <= ids[-1]:
                index = bisect.bisect_left(ids, targets[i])
                if index < len(ids) and ids[index] == targets[i]:
                    found[targets[i]] = decode(block._values[index])
                i += 1
        return found

    def values(self, fieldname: str) -> list[tuple]:
        """Each document's values of a facet field (a FacetColumn), (None,) when it has none."""
        values = self.cache.columns.get(fieldname)
        if values is None:
            column = self.reader.column_reader(fieldname)
            interned: dict[tuple, tuple] = {}
            values = [interned.setdefault(v, v) for v in map(tuple, column)]
            self.cache.columns[fieldname] = values
        return values

    def keys(self, fieldname: str) -> list:
        """Each document's sort key for a sortable field, as its column stores it."""
        keys = self.cache.keys.get(fieldname)
        if keys is None:
            column = self.reader.column_reader(fieldname, translate=False)
            keys = self.cache.keys[fieldname] = list(column)
        return keys


class _Unranked(Exception):
    """A query whose score is not a sum the document sets can rank by (Whoosh scores it)."""


def _rest(node: query.Query, required: bool, exact: list) -> query.Query | None:
    """`node` without its exact-string parts, which go to `exact`, for ranking documents that
    match the same exact parts. `required`: every match of the whole query matches `node`, so
    an And adds up whichever of its parts a document has, and parts every match has (filters,
    constant scores) change no order and are left out."""
    kind = type(node)
    if isinstance(node, ExactScoreQuery):
        if node.boost != 1.0:
            raise _Unranked
        exact.append(node.child)
        return None
    if kind is query.Or and not node.minmatch:
        parts = [_rest(sub, False, exact) for sub in node.subqueries]
        return _joined(query.Or, parts, node.boost)
    if kind in (query.And, query.AndMaybe, query.AndNot, query.Require, query.Not):
        if not required:
            if _has_exact(node):
                raise _Unranked  # an exact part counts only where the rest matches too
            return node
        if kind is query.Not:
            return None
        if kind is query.And:
            parts = [_rest(sub, True, exact) for sub in node.subqueries]
            return _joined(query.Or, parts, node.boost)
        first = _rest(node.a, True, exact)
        if kind is query.AndMaybe:
            return _joined(query.Or, [first, _rest(node.b, False, exact)], node.boost)
        return first  # AndNot and Require: only the first part scores
    if isinstance(node, query.ConstantScoreQuery | query.NumericRange | query.Every):
        if required:
            return None
        raise _Unranked
    if isinstance(node, query.Term | query.Phrase | query.MultiTerm):
        return node
    raise _Unranked


def _joined(kind: type, parts: list, boost: float) -> query.Query | None:
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return kind(parts, boost=boost) if len(parts) > 1 or boost != 1.0 else parts[0]


def _has_exact(node: query.Query) -> bool:
    return isinstance(node, ExactScoreQuery) or any(map(_has_exact, node.children()))


class DocSetSearch:
    """One search over a searcher's segments with document sets (SegmentDocs): the matches as
    one bitset of global document numbers, facet counts, and the page of matches in order,
    scoring or sorting only as many documents as the page needs."""

    def __init__(self, searcher: Searcher, cache_of: Callable[[IndexReader], SegmentCache]):
        self.searcher = searcher
        self.segments = [
            (SegmentDocs(reader, cache_of(reader)), offset)
            for reader, offset in searcher.reader().leaf_readers()
        ]

    def docs(self, q: query.Query) -> int:
        bits = 0
        for segment, offset in self.segments:
            bits |= (segment.docs(q) & segment.live) << offset
        return bits

    def _local(self, bits: int) -> Iterator[tuple[SegmentDocs, int, list[int]]]:
        for segment, offset in self.segments:
            local = (bits >> offset) & segment.everything
            if local:
                yield segment, offset, docnums(local)

    def facets(self, bits: int, fieldnames: Iterable[str]) -> dict[str, list]:
        """haystack's facet lists: (value, count), most frequent first, None for no value."""
        facets = {}
        for name in fieldnames:
            counts: Counter = Counter()
            for segment, _, docs in self._local(bits):
                counts.update(chain.from_iterable(map(segment.values(name).__getitem__, docs)))
            none = counts.pop(None, None)
            values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            if none is not None:  # where haystack puts it: before the first smaller count
                at = next((i for i, (_, count) in enumerate(values) if count < none), None)
                values.insert(len(values) if at is None else at, (None, none))
            facets[name] = values
        return facets

    def sorted_page(self, bits: int, fieldnames: list[str], reverse: bool, end: int) -> list:
        """The first `end` matches by the fields' values, as Whoosh orders them (ties by
        document number, reversed with the order)."""
        best = []
        for segment, offset, docs in self._local(bits):
            columns = [segment.keys(name) for name in fieldnames]

            def key(docnum: int, columns=columns, offset=offset) -> tuple:
                return (*(column[docnum] for column in columns), offset + docnum)

            pick = heapq.nlargest if reverse else heapq.nsmallest
            best.extend(map(key, pick(end, docs, key=key)))
        best.sort(reverse=reverse)
        return [(found[-1], 0.0) for found in best[:end]]

    def ranked_page(self, q: query.Query, bits: int, end: int) -> list[tuple[int, float]]:
        """The first `end` matches by Whoosh's score of `q`.

        Each exact-string part a document contains adds EXACT_SCORE, more than all other
        parts together: so the documents are taken by how many they contain (tiers, from the
        document sets), and within a tier by the rest of the query, which Whoosh scores for the
        few best only (block-max skipping, which an exact part's constant score prevents).
        """
        exact: list[query.Query] = []
        try:
            rest = _rest(q, True, exact)
        except _Unranked:
            results = self.searcher.search(q, filter=DocSet(bits), limit=end)
            return [(docnum, score) for score, docnum in results.top_n]
        tiers = {0: bits}
        for part in exact:
            found = self.docs(part)
            split: dict[int, int] = defaultdict(int)
            for count, tier in tiers.items():
                split[count + 1] |= tier & found
                split[count] |= tier & ~found
            tiers = {count: tier for count, tier in split.items() if tier}
        scorable = self.docs(rest) if rest is not None else 0
        page: list[tuple[int, float]] = []
        for count in sorted(tiers, reverse=True):
            want = end - len(page)
            if want <= 0:
                break
            base = count * EXACT_SCORE
            if tiers[count] & scorable:
                results = self._top(rest, tiers[count] & scorable, want)
                # Sorted again: adding the base can round apart scores into ties, which
                # Whoosh breaks by document number.
                scored = [(docnum, base + score) for score, docnum in results.top_n]
                page += sorted(scored, key=lambda hit: (-hit[1], hit[0]))
            unscored = docnums(tiers[count] & ~scorable, limit=end - len(page))
            page += [(docnum, base) for docnum in unscored]
        return page[:end]

    def _top(self, q: query.Query, allowed: int, limit: int):
        """Whoosh's best `limit` of the allowed documents by `q`, visiting only those.

        Without Whoosh's top-k shortcuts (block-max skipping, replacing a union by an
        intersection): their score bounds are not safe, and a few rankings came out wrong.
        """
        offsets = {id(searcher): offset for searcher, offset in self.searcher.leaf_searchers()}
        collector = TopCollector(limit, usequality=False, replace=0)
        self.searcher.search_with_collector(query.And([Only(allowed, offsets), q]), collector)
        return collector.results()


class Only(query.Query):
    """Matches the documents of a bitset, adding nothing to the score: in an And, Whoosh then
    visits only them. `offsets`: each leaf searcher's first document number (by id)."""

    def __init__(self, bits: int, offsets: dict[int, int]) -> None:
        self.bits = bits
        self.offsets = offsets

    def estimate_size(self, reader: IndexReader) -> int:
        return self.bits.bit_count()

    estimate_min_size = estimate_size

    def matcher(self, searcher: Searcher, context=None) -> ListMatcher:
        offset = self.offsets[id(searcher)]
        local = docnums((self.bits >> offset) & ((1 << searcher.doc_count_all()) - 1))
        # Weights of 0.0 (ListMatcher reads all_weights=0.0 as "unset", that is 1.0).
        return (
            ListMatcher(local, weights=array("f", bytes(4 * len(local))))
            if local
            else NullMatcher()
        )


class ArticleFileIndex(FileIndex):
    """The index on disk: separate segment files, one reader shared by its searchers, and a
    SegmentCache per segment.

    Whoosh copies a compound segment into memory each time a reader opens it, and haystack
    opens two or three readers per search. haystack gives each thread its own backend, and so
    its own index object: readers and caches are never shared between threads.
    """

    def __init__(self, storage, schema: Schema, indexname: str) -> None:
        super().__init__(storage, schema=schema, indexname=indexname)
        self._shared: IndexReader | None = None
        self._caches: dict[str, SegmentCache] = {}

    def writer(self, procs: int = 1, **kwargs):
        kwargs.setdefault("compound", False)
        return super().writer(procs=procs, **kwargs)

    def shared_reader(self) -> IndexReader:
        """A reader of the latest generation, reopened only once a writer has committed."""
        if self._shared is None or self._shared.generation() != self.latest_generation():
            if self._shared is not None:
                self._shared.close()
            self._shared = self.reader()
            current = {_segment_id(reader) for reader, _ in self._shared.leaf_readers()}
            self._caches = {key: c for key, c in self._caches.items() if key in current}
        return self._shared

    def searcher(self, **kwargs) -> Searcher:
        return Searcher(self.shared_reader(), fromindex=self, closereader=False, **kwargs)

    def doc_count(self) -> int:
        return self.shared_reader().doc_count()

    def segment_cache(self, reader: IndexReader) -> SegmentCache:
        return self._caches.setdefault(_segment_id(reader), SegmentCache())


def _segment_id(reader: IndexReader) -> str | None:
    segment = reader.segment()  # None for an empty index
    return segment.segment_id() if segment is not None else None


class ArticleSearchBackend(WhooshSearchBackend):
    def __init__(self, connection_alias: str, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        self.write_timeout = float(connection_options.get("WRITE_TIMEOUT", WRITE_TIMEOUT))
        self.index_procs = int(connection_options.get("INDEX_PROCS", INDEX_PROCS))
        self.batch_size = int(connection_options.get("BATCH_SIZE", BATCH_SIZE))

    def setup(self) -> None:
        super().setup()
        self.index = ArticleFileIndex(self.storage, self.schema, self.index.indexname)
        self.parser = ArticleQueryParser(
            self.content_field_name, self.bigram_field_name, schema=self.schema
        )

    def build_schema(self, fields: dict) -> tuple[str, Schema]:
        """haystack's mapping, except that text is jieba, bigrams or a whole (untokenized) ID."""
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = bigram_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                schema_fields[name] = text_field()
                content_field_name = name
            elif field.field_type == "bigram":
                schema_fields[name] = bigram_field()
                bigram_field_name = name
            elif field.is_multivalued:
                # haystack joins list values with commas (see _from_python).
                schema_fields[name] = FacetKeyword(stored=field.stored)
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field.stored, sortable=True)
            elif field.field_type in ("integer", "float"):
                numtype = int if field.field_type == "integer" else float
                schema_fields[name] = NUMERIC(stored=field.stored, numtype=numtype, sortable=True)
            elif field.field_type == "boolean":
                schema_fields[name] = BOOLEAN(stored=field.stored)
            elif field.field_type == "string":
                schema_fields[name] = FacetID(stored=field.stored)
            else:
                raise SearchBackendError(f"{name}: field type {field.field_type!r} not supported")
        if not content_field_name or not bigram_field_name:
            raise SearchBackendError("an index needs a document field and a BigramField")
        self.bigram_field_name = bigram_field_name
        return content_field_name, Schema(**schema_fields)

    def _writer(self, procs: int = 1):
        """A writer that waits its turn; whoosh.index.LockError once write_timeout has passed.

        haystack's own update() uses an AsyncWriter, which on a held lock buffers the documents
        in a thread of this process: they are lost if the process ends first. With procs > 1,
        worker processes analyse the documents and write a segment each.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        options = {"timeout": self.write_timeout, "delay": 0.05}
        if procs > 1:
            tokenizer()  # loaded before the workers fork, so none loads it again
            options.update(procs=procs, multisegment=True, limitmb=WORKER_LIMIT_MB)
        return self.index.writer(**options)

    def update(self, index, iterable, commit: bool = True) -> None:
        """Index `iterable`; it is read only once the write lock is held.

        So a QuerySet passed in reflects every change committed before this write began, and
        two processes indexing the same article cannot leave the older version last. A list
        of PARALLEL_BATCH or more (update_index passes batches of batch_size) is indexed by
        index_procs processes.
        """
        bulk = isinstance(iterable, list) and len(iterable) >= PARALLEL_BATCH
        writer = self._writer(procs=self.index_procs if bulk else 1)
        written = 0
        try:
            for obj in iterable:
                try:
                    doc = index.full_prepare(obj)
                except SkipDocument:
                    continue
                doc = {key: self._from_python(value) for key, value in doc.items()}
                doc.pop("boost", None)  # Whoosh 2.5+ has no document boosts
                writer.update_document(**doc)
                written += 1
        except BaseException:
            _cancel(writer)
            raise
        if written:
            writer.commit()
        else:
            _cancel(writer)

    def remove(self, obj_or_string, commit: bool = True) -> None:
        writer = self._writer()
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def search(
        self,
        query_string: str,
        sort_by: list[str] | None = None,
        start_offset: int = 0,
        end_offset: int | None = None,
        highlight: bool = False,
        facets: list[str] | None = None,
        narrow_queries: set[str] | None = None,
        models=None,
        limit_to_registered_models: bool | None = None,
        result_class=None,
        **kwargs,
    ) -> dict:
        """haystack's search, on document sets (DocSetSearch): the count and facets without
        stepping through every match, and only the page's documents scored or sorted.

        Date and query facets, spelling and spatial searches take haystack's way.
        """
        if highlight:
            raise SearchBackendError(
                "text is not stored in the index: use articles.search.highlight on database text"
            )
        if not self.setup_complete:
            self.setup()  # the schema is read below
        facets = list(facets or ())
        sort_fields, reverse = _sort_fields(sort_by or [])
        if (
            any(kwargs.get(name) for name in _HAYSTACK_ONLY)
            or not all(isinstance(self.schema[name], FacetKeyword | FacetID) for name in facets)
            or not all(self.schema[name].column_type for name in sort_fields)
        ):
            return super().search(
                query_string,
                sort_by=sort_by,
                start_offset=start_offset,
                end_offset=end_offset,
                facets=facets or None,
                narrow_queries=narrow_queries,
                models=models,
                limit_to_registered_models=limit_to_registered_models,
                result_class=result_class,
                **kwargs,
            )
        query_string = force_str(query_string)
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        if not self.index.doc_count():
            return {"results": [], "hits": 0}
        searcher = self.index.searcher()
        sets = DocSetSearch(searcher, self.index.segment_cache)
        parsed = self.parser.parse(query_string)
        narrowing = [self.parser.parse(force_str(q)) for q in narrow_queries or ()]
        content_types = self._content_types(models, limit_to_registered_models)
        if content_types:
            narrowing.append(query.Or([query.Term(DJANGO_CT, ct) for ct in content_types]))
        bits = sets.docs(parsed) if parsed is not None else 0
        for narrow in narrowing:
            bits &= sets.docs(narrow)
        hits = bits.bit_count()
        end = min(hits, end_offset if end_offset is not None else hits)
        if start_offset >= end:
            page = []
        elif sort_fields:
            page = sets.sorted_page(bits, sort_fields, reverse, end)
        else:
            page = sets.ranked_page(parsed, bits, end)
        unified_index = connections[self.connection_alias].get_unified_index()
        results = [
            self._search_result(searcher.stored_fields(docnum), score, unified_index, result_class)
            for docnum, score in page[start_offset:end]
        ]
        counts = {"fields": sets.facets(bits, facets), "dates": {}, "queries": {}}
        return {
            "results": [result for result in results if result is not None],
            "hits": hits,
            "facets": counts if facets else {},
            "spelling_suggestion": None,
        }

    def _content_types(self, models, limit_to_registered_models: bool | None) -> list[str]:
        """django_ct values to narrow to; none when every indexed model is asked for, since
        narrowing would then only cost."""
        indexed = connections[self.connection_alias].get_unified_index().get_indexed_models()
        if models and not set(indexed) <= set(models):
            return sorted(get_model_ct(model) for model in models)
        if models or limit_to_registered_models is False:
            return []
        if getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True):
            return self.build_models_list()
        return []

    def _search_result(self, stored: dict, score: float, unified_index, result_class):
        """A SearchResult as haystack's Whoosh backend makes it; None for a model not indexed."""
        app_label, model_name = stored[DJANGO_CT].split(".")
        model = haystack_get_model(app_label, model_name)
        if model is None or model not in unified_index.get_indexed_models():
            return None
        fields = unified_index.get_index(model).fields
        values = {}
        for key, value in stored.items():
            field = fields.get(key)
            if field is not None and hasattr(field, "convert"):
                if field.is_multivalued:
                    values[key] = value.split(",") if value else []
                else:
                    values[key] = field.convert(value)
            else:
                values[key] = self._to_python(value)
        del values[DJANGO_CT], values[DJANGO_ID]
        # The pk as haystack's Whoosh backend gives it: the stored string.
        pk = stored[DJANGO_ID]
        return (result_class or SearchResult)(app_label, model_name, pk, score, **values)

    def build_models_list(self) -> list[str]:
        """No django_ct narrowing when one model is indexed: it would collect every document."""
        models = super().build_models_list()
        return models if len(models) > 1 else []

    def _process_results(self, raw_page, highlight: bool = False, **kwargs) -> dict:
        if highlight:
            raise SearchBackendError(
                "text is not stored in the index: use articles.search.highlight on database text"
            )
        return super()._process_results(raw_page, **kwargs)


# Search options only haystack's own Whoosh search handles.
_HAYSTACK_ONLY = (
    "date_facets",
    "query_facets",
    "spelling_query",
    "within",
    "dwithin",
    "distance_point",
)


def _sort_fields(sort_by: list[str]) -> tuple[list[str], bool]:
    """Field names and direction of haystack's order_by; Whoosh sorts all one way."""
    names = [field.lstrip("-") for field in sort_by]
    descending = {field.startswith("-") for field in sort_by}
    if len(descending) > 1:
        raise SearchBackendError(
            "Whoosh requires all order_by fields to use the same sort direction"
        )
    return names, descending == {True}


def _cancel(writer) -> None:
    """Whoosh's MpWriter.cancel() leaves its workers waiting for work forever."""
    if isinstance(writer, MpWriter):
        for task in writer.tasks:
            task.terminate()
            task.join()
    writer.cancel()


class ArticleWhooshEngine(WhooshEngine):
    backend = ArticleSearchBackend
