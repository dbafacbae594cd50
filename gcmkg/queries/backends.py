"""Where queries run: the embedded Oxigraph store, or any SPARQL 1.1 endpoint (through SPARQLWrapper).

Both answer with pyoxigraph terms, so everything above them (parameter resolution, labels, output)
is the same for a local store and a remote one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from gcmkg.errors import OptionalDependencyMissing, QueryError
from gcmkg.ontology.namespace import PREFIXES
from gcmkg.queries.sparqltext import query_form, strip_comments, with_prefixes

Term = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass
class Solutions:
    """A SELECT result: variable names and rows of terms (None where unbound)."""

    variables: list[str]
    rows: list[list[Term | None]]


Result = Solutions | bool | list[ox.Triple]


class Backend(Protocol):
    def execute(self, query: str) -> Result: ...


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class LocalBackend:
    """The embedded store; the default graph is the union of all named graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def execute(self, query: str) -> Result:
        if query_form(query) == "UPDATE":
            raise QueryError("this is a SPARQL update; queries only read the store")
        try:
            result = self.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                return Solutions(names, [[s[n] for n in names] for s in result])
            return list(result)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {_first_line(exc)}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {_first_line(exc)}") from None


def term_from_json(binding: dict) -> Term:
    """A term from a SPARQL 1.1 JSON results binding."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class RemoteBackend:
    """A SPARQL 1.1 query endpoint, such as Oxigraph's /query, Fuseki's /ds/query or GraphDB's repository."""

    def __init__(self, endpoint: str, timeout: float = 60):
        self.endpoint, self.timeout = endpoint, timeout

    def execute(self, query: str) -> Result:
        try:
            from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
            from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException
        except ImportError:
            raise OptionalDependencyMissing("SPARQLWrapper", "remote") from None
        import urllib.error

        form = query_form(query)
        if form == "UPDATE":
            raise QueryError("this is a SPARQL update; 'gcmkg query' only reads")
        client = SPARQLWrapper(self.endpoint)
        client.setQuery(with_prefixes(strip_comments(query), PREFIXES))
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setReturnFormat(TURTLE if form in ("CONSTRUCT", "DESCRIBE") else JSON)
        try:
            response = client.query()
            if form in ("CONSTRUCT", "DESCRIBE"):
                return list(ox.parse(response.response.read(), format=ox.RdfFormat.TURTLE))
            data = response.convert()
        except SPARQLWrapperException as exc:
            raise QueryError(f"{self.endpoint}: {_first_line(exc)}") from None
        except urllib.error.URLError as exc:
            raise QueryError(f"{self.endpoint}: {getattr(exc, 'reason', exc)}") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise QueryError(f"{self.endpoint}: {_first_line(exc)}") from None
        if "boolean" in data:
            return bool(data["boolean"])
        names = data["head"].get("vars", [])
        rows = [[term_from_json(b[n]) if n in b else None for n in names] for b in data["results"]["bindings"]]
        return Solutions(names, rows)
