"""Whole values in a haystack query: a name, a kind, matched as they are, never read as syntax.

haystack writes every filter into a query string, and its `Exact` puts the value in quotes
without escaping: `org=不存在" OR kind:"news` matched every news article. A `Value` asks the
backend's query class how to write it (`build_value_query`): the Whoosh one writes a token the
parser turns back into one Term (articles/search/engine/whoosh_parser.py), the Elasticsearch one a
term filter (articles/search/elasticsearch.py).
"""

from __future__ import annotations

from haystack.inputs import BaseInput


class Value(BaseInput):
    """The whole value of an untokenized field (reporters, organization_names, kind ...)."""

    input_type_name = "value"
    post_process = False

    def prepare(self, query_obj) -> str:
        return query_obj.build_value_query(super().prepare(query_obj))
