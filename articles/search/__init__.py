"""Search: the Whoosh engine (engine/, no Django), and the service layer over it: the haystack
backend (backend.py, fields.py), the one search service (service.py) and what serves it."""

import sys

from articles.search.engine import analysis, readers

# An index written before the engine moved to engine/ names these modules in its pickled table
# of contents (the schema's tokenizers, each segment's codec; its field types are imported by
# articles/search/fields.py); Whoosh unpickles them by name, so the old names stay importable.
PICKLED_MODULES = {
    "articles.search.analysis": analysis,
    "articles.search.readers": readers,
}
for _name, _module in PICKLED_MODULES.items():
    sys.modules.setdefault(_name, _module)
