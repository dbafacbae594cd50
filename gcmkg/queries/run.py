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


def run_sparql(store: ox.Store, query: str, bindings: dict | None = None, *, timeout: float | None = None):
    """SELECT -> DataFrame; ASK -> bool; CONSTRUCT/DESCRIBE -> list of triples. Bindings are substituted, not pasted."""
    import pandas as pd

    substitutions = {ox.Variable(k): v if isinstance(v, (ox.NamedNode, ox.Literal)) else ox.Literal(str(v))
                     for k, v in (bindings or {}).items()}
    try:
        result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                             substitutions=substitutions or None)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[to_python(solution[c]) for c in columns] for solution in result]
        return pd.DataFrame(rows, columns=columns)
    return list(result)
