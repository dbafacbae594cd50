"""Running SPARQL on the store: results as pandas DataFrames with plain Python values."""

from __future__ import annotations

import pyoxigraph as ox

from gcmkg.errors import QueryError
from gcmkg.ontology.namespace import PREFIXES


def to_python(term: object) -> object:
    """A term's value: IRIs as strings, typed numbers as int/float, everything else as its lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long", "#decimal")) and dt.startswith("http://www.w3.org/2001/XMLSchema"):
            try:
                return int(term.value)
            except ValueError:
                return float(term.value)
        if dt.endswith(("#double", "#float")):
            return float(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return getattr(term, "value", str(term))


def run_sparql(store: ox.Store, query: str, bindings: dict | None = None):
    """SELECT -> DataFrame; ASK -> bool; CONSTRUCT/DESCRIBE -> list of triples. Bindings are substituted, not pasted."""
    import pandas as pd

    substitutions = {ox.Variable(k): v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(str(v))
                     for k, v in (bindings or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                             substitutions=substitutions or None)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = [[to_python(solution[c]) for c in columns] for solution in result]
            return pd.DataFrame(rows, columns=columns)
        return list(result)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0]}") from None
    except (OSError, RuntimeError) as exc:  # evaluation errors surface while results are read
        raise QueryError(f"query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


# ---------------------------------------------------------------------- named and ad-hoc queries, any backend


def solutions_frame(result, lists: tuple[str, ...] = ()):
    """A SELECT result as a DataFrame of plain values; "; "-separated list columns sorted (engines differ)."""
    import pandas as pd

    frame = pd.DataFrame([[to_python(t) for t in row] for row in result.rows], columns=result.variables,
                         dtype=object)
    for column in lists:
        if column in frame.columns:
            frame[column] = frame[column].map(_sort_list)
    frame.attrs["iri_columns"] = [c for i, c in enumerate(result.variables)
                                  if any(isinstance(row[i], ox.NamedNode) for row in result.rows)]
    return frame


def _sort_list(value: object) -> object:
    if not isinstance(value, str) or not value:
        return value
    items = value.split("; ")
    key = (lambda s: (0, int(s), s)) if all(i.isdigit() for i in items) else (lambda s: (1, 0, s.casefold()))
    return "; ".join(sorted(items, key=key))


def triples_frame(triples: list):
    import pandas as pd

    frame = pd.DataFrame([[to_python(t.subject), to_python(t.predicate), to_python(t.object)] for t in triples],
                         columns=["subject", "predicate", "object"], dtype=object)
    frame.attrs["iri_columns"] = ["subject", "predicate"]
    return frame


def bind(text: str, params: dict[str, object], resolver, types: dict[str, str] | None = None) -> str:
    """Resolve each parameter (a name, a number, an IRI or a pyoxigraph term) and bind it with VALUES."""
    from gcmkg.queries.sparqltext import bind_values

    types = types or {}
    terms = {name: resolver.resolve(value, types.get(name, "entity"))
             for name, value in params.items() if value is not None}
    return bind_values(text, terms)


def named_query_text(name: str, params: dict[str, object], resolver) -> tuple[str, object]:
    """The runnable text of named query `name` with `params` bound; checks names and required parameters."""
    from gcmkg.queries.catalog import get

    query = get(name)
    for key in params:
        query.param(key)
    missing = [p.name for p in query.params if p.required and params.get(p.name) is None]
    if missing:
        raise QueryError(f"query {name!r} needs {', '.join('--' + m for m in missing)} "
                         f"(e.g. gcmkg query {name} {query.example})")
    return bind(query.text, params, resolver, {p.name: p.type for p in query.params}), query


def execute(backend, query_or_name: str, params: dict[str, object] | None = None, *, resolver=None,
            limit: int | None = None):
    """Run a named query or SPARQL text on `backend`: SELECT -> DataFrame, ASK -> bool, graphs -> DataFrame.

    DataFrames carry `attrs["iri_columns"]` and `attrs["params"]` (the bound parameters) for display.
    """
    from gcmkg.queries.backends import Solutions
    from gcmkg.queries.catalog import is_query_name
    from gcmkg.queries.resolve import Resolver

    params = {k: v for k, v in (params or {}).items() if v is not None}
    resolver = resolver or Resolver(backend)
    lists: tuple[str, ...] = ()
    if is_query_name(query_or_name):
        text, query = named_query_text(query_or_name.strip(), params, resolver)
        lists = query.lists
    else:
        text = bind(query_or_name, params, resolver)
    result = backend.execute(text)
    if isinstance(result, bool):
        return result
    frame = solutions_frame(result, lists) if isinstance(result, Solutions) else triples_frame(result)
    if limit is not None:
        frame = frame.head(limit)
    frame.attrs["params"] = sorted(params)
    return frame


def add_labels(frame, resolver):
    """A `<column>_label` beside each IRI column that has none, where the store knows a label."""
    for column in list(frame.attrs.get("iri_columns", [])):
        name = f"{column}_label"
        if name in frame.columns or column not in frame.columns:
            continue
        labels = frame[column].map(lambda v: resolver.label(v) if isinstance(v, str) else None)
        if labels.notna().any():
            frame.insert(frame.columns.get_loc(column) + 1, name, labels)
    return frame


def query_endpoint(endpoint: str, query_or_name: str, params: dict[str, object] | None = None, *,
                   limit: int | None = None, timeout: float = 60):
    """`KnowledgeGraph.query` against a remote SPARQL 1.1 endpoint (the graph pushed there by `gcmkg push`)."""
    from gcmkg.queries.backends import RemoteBackend
    from gcmkg.queries.resolve import Resolver

    backend = RemoteBackend(endpoint, timeout=timeout)
    resolver = Resolver(backend)
    result = execute(backend, query_or_name, params, resolver=resolver, limit=limit)
    return result if isinstance(result, bool) else add_labels(result, resolver)
