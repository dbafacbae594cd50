"""The named queries to time, each with the parameter values it is timed with, bound by the library itself.

`bound_queries(store)` asks gcmkg's own runner for the runnable text of each named query (parameters
resolved and bound with VALUES, exactly as `gcmkg query NAME ...` runs it). Both engines then run that
same text, so the baseline ratio compares engines, not queries.
"""

from __future__ import annotations

import re

# Parameter values to time each query with; any other query runs with its header's example.
PARAMS: dict[str, dict[str, str]] = {
    "objective-concerns": {"objective": "13"},
    "concern-objectives": {"concern": "child detention"},
    "evidence": {"a": "Objective 13", "b": "child detention"},
}


def example_params(example: str) -> dict[str, str]:
    """`--objective 13 --a "Objective 13"` -> {"objective": "13", "a": "Objective 13"}."""
    return {k.replace("-", "_"): (q or w) for k, q, w in re.findall(r"--([\w-]+)\s+(?:\"([^\"]*)\"|(\S+))", example)}


def bound_queries(store) -> dict[str, dict]:
    """name -> {"params": ..., "text": runnable SPARQL}, for every named query `gcmkg queries` lists."""
    from gcmkg.queries.backends import LocalBackend
    from gcmkg.queries.catalog import all_queries
    from gcmkg.queries.resolve import Resolver
    from gcmkg.queries.run import named_query_text

    resolver = Resolver(LocalBackend(store))
    out = {}
    for q in all_queries():
        params = PARAMS.get(q.name, example_params(q.example))
        text, _ = named_query_text(q.name, params, resolver)
        out[q.name] = {"params": params, "text": text}
    return out


def run_oxigraph(store, text: str) -> int:
    """Run on a pyoxigraph store as the library does, materialising every row; returns the row count."""
    from gcmkg.ontology.namespace import PREFIXES

    result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    return sum(1 for row in result for _ in [tuple(row)])


def run_library(kg, name: str, params: dict[str, str]) -> int:
    """`KnowledgeGraph.query(name, **params)`: what a user calls (resolution and a DataFrame included)."""
    return len(kg.query(name, **params))
