"""Run the views' SPARQL files (`gcmkg/queries/viz-*.rq`) with bound parameters, as lists of plain dicts."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from gcmkg.errors import QueryError, UnknownQuery
from gcmkg.ontology.namespace import PREFIXES
from gcmkg.queries.run import to_python

_QUERIES = files("gcmkg") / "queries"


@cache
def query_text(name: str) -> str:
    """The text of `gcmkg/queries/viz-<name>.rq`."""
    resource = _QUERIES / f"viz-{name}.rq"
    if not resource.is_file():
        known = [p.name[4:-3] for p in _QUERIES.iterdir() if p.name.startswith("viz-") and p.name.endswith(".rq")]
        raise UnknownQuery(f"viz-{name}", [f"viz-{k}" for k in known])
    return resource.read_text(encoding="utf-8")


def term(value: object) -> ox.NamedNode | ox.Literal:
    """IRIs (strings starting with http) become named nodes, everything else a plain literal."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    text = str(value)
    return ox.NamedNode(text) if text.startswith(("http://", "https://")) else ox.Literal(text)


def select(store: ox.Store, query: str, **bindings: object) -> list[dict[str, object]]:
    """Rows of one viz query; `None` bindings are left unbound (the query's optional parameters)."""
    substitutions = {ox.Variable(k): term(v) for k, v in bindings.items() if v is not None}
    try:
        result = store.query(query_text(query), prefixes=PREFIXES, use_default_graph_as_union=True,
                             substitutions=substitutions or None)
    except (SyntaxError, RuntimeError, OSError) as exc:
        raise QueryError(f"viz-{query}: {str(exc).splitlines()[0]}") from None
    columns = [v.value for v in result.variables]
    return [{c: to_python(row[c]) for c in columns} for row in result]
