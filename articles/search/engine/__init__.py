"""The search engine on Whoosh, with no Django or haystack import (tests/search/engine/
test_engine_imports.py checks), so that it can be read, run and changed on its own.

- query.py: the query syntax readers type, read into a ParsedQuery;
- analysis.py: jieba words and character bigrams, traditional characters folded;
- fields.py: the Whoosh field types (jieba text, bigrams, whole names with facet columns);
- whoosh_parser.py: query strings into Whoosh queries;
- docsets.py, segment_arrays.py, scoring.py, docset_search.py: a query's matches as a bitset
  per segment, facet counts, and the page of matches ranked or sorted;
- deadline.py: a search's time budget;
- readers.py, pool.py: the index on disk, its shared reader, writers and codec, a new index
  built beside and swapped in;
- index_check.py: reading every file of the index as searches read it;
- whoosh_private/: every private member of Whoosh (and haystack) the archive uses.

The service layer above it (articles/search/) adapts it to haystack and serves searches.
"""
