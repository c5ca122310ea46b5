"""Search engine: jieba and bigram analysis (analysis.py), the haystack Whoosh backend
(backend.py) and highlighting of database text (highlight.py)."""
