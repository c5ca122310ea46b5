"""The search side of the haystack backend: haystack's search, answered on document sets.

ArticleSearchBackend (articles/search/backend.py, the schema and the writes) takes it in as
a mixin; it reads what the backend's setup() builds: the index, its schema and the query
parser. Its answers equal haystack's own Whoosh search (tests/search/test_backend.py).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.encoding import force_str
from haystack import connections
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.exceptions import SearchBackendError
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query
from whoosh.reading import ReaderClosed

from articles.search.engine.deadline import current_deadline
from articles.search.engine.docset_search import DocSetSearch
from articles.search.engine.fields import FacetID, FacetKeyword
from articles.search.engine.whoosh_private import to_python


class DocSetSearchMixin:
    """search() on document sets (DocSetSearch); it comes before haystack's WhooshSearchBackend
    in the backend's bases, whose search() answers what document sets do not."""

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
        run = functools.partial(
            self._search,
            query_string,
            sort_by=sort_by,
            start_offset=start_offset,
            end_offset=end_offset,
            facets=list(facets or ()),
            narrow_queries=narrow_queries,
            models=models,
            limit_to_registered_models=limit_to_registered_models,
            result_class=result_class,
            **kwargs,
        )
        with self.index.search_lock:
            try:
                return run()
            except (FileNotFoundError, ReaderClosed):
                # A file of an index swapped out (rebuild_index) since the reader opened it.
                self.index.reopen()
                return run()

    def _search(
        self,
        query_string: str,
        sort_by: list[str] | None,
        start_offset: int,
        end_offset: int | None,
        facets: list[str],
        narrow_queries: set[str] | None,
        models,
        limit_to_registered_models: bool | None,
        result_class,
        **kwargs,
    ) -> dict:
        """search() with the index's search lock held."""
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
        sets = DocSetSearch(searcher, self.index.segment_cache, current_deadline())
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
                values[key] = to_python(self, value)
        del values[DJANGO_CT], values[DJANGO_ID]
        # The pk as haystack's Whoosh backend gives it: the stored string.
        pk = stored[DJANGO_ID]
        return (result_class or SearchResult)(app_label, model_name, pk, score, **values)

    def build_models_list(self) -> list[str]:
        """No django_ct narrowing when one model is indexed: it would collect every document."""
        models = super().build_models_list()
        return models if len(models) > 1 else []


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
