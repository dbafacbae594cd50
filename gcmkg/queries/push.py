"""`gcmkg push`: copy the store to a remote SPARQL store, one named graph at a time.

Each graph is sent whole, with the Graph Store Protocol (`PUT URL?graph=IRI`, which replaces it), or,
where a server offers only SPARQL Update, with `DROP SILENT GRAPH` and `INSERT DATA`. A manifest graph
on the remote (`id:graph/push-manifest`) records a SHA-256 of each graph's sorted N-Triples, so a
second push sends only what changed, and a push that stopped half-way resumes where it stopped. Where
a query endpoint answers (the sibling `/query`, or `--query-endpoint`), each graph's triple count on the
remote is checked too, so a graph deleted or altered there since is sent again.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from gcmkg.errors import StoreError
from gcmkg.ontology.namespace import DCTERMS, ID_NS

MANIFEST_GRAPH = ID_NS + "graph/push-manifest"
HASH = DCTERMS + "hasVersion"
_CHUNK = 20_000  # triples per INSERT DATA request


@dataclass
class PushReport:
    pushed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0


def graph_ntriples(store: ox.Store, graph: str) -> tuple[bytes, str, int]:
    """A graph's triples as N-Triples, the SHA-256 of its sorted lines, and its size."""
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    digest = hashlib.sha256(b"\n".join(sorted(data.splitlines()))).hexdigest()
    return data, digest, len(triples)


def _request(url: str, method: str, body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, timeout: float = 300) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip().splitlines()
        return exc.code, (detail[0] if detail else exc.reason or "").encode()
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(f"{url.split('?')[0]}: {getattr(exc, 'reason', exc)}") from None


def _check(url: str, status: int, body: bytes, what: str) -> None:
    if status >= 300:
        raise StoreError(f"{url.split('?')[0]}: {what} failed with HTTP {status} ({body.decode('utf-8', 'replace')})")


class GraphStore:
    """The Graph Store Protocol, indirect identification (`?graph=IRI`): Oxigraph /store, Fuseki /ds/data."""

    def __init__(self, url: str):
        self.url = url

    def _graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def manifest(self) -> dict[str, str]:
        status, body = _request(self._graph_url(MANIFEST_GRAPH), "GET", accept="application/n-triples")
        if status == 404:
            return {}
        _check(self.url, status, body, "reading the push manifest")
        return {t.subject.value: t.object.value for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                if t.predicate.value == HASH}

    def put(self, graph: str, data: bytes) -> None:
        status, body = _request(self._graph_url(graph), "PUT", data, "application/n-triples")
        _check(self.url, status, body, f"PUT of graph <{graph}>")

    def record(self, manifest: dict[str, str], graph: str) -> None:
        self.put(MANIFEST_GRAPH, _manifest_ntriples(manifest))


class UpdateStore:
    """SPARQL Update (and a query endpoint to read the manifest), for servers without the Graph Store Protocol."""

    def __init__(self, update_url: str, query_url: str | None):
        self.url, self.query_url = update_url, query_url

    def _update(self, text: str) -> None:
        status, body = _request(self.url, "POST", text.encode(), "application/sparql-update")
        _check(self.url, status, body, "SPARQL update")

    def manifest(self) -> dict[str, str]:
        if not self.query_url:
            return {}
        query = f"SELECT ?g ?h WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?g <{HASH}> ?h }} }}"
        status, body = _request(self.query_url, "POST", urllib.parse.urlencode({"query": query}).encode(),
                                "application/x-www-form-urlencoded", "application/sparql-results+json")
        _check(self.query_url, status, body, "reading the push manifest")
        import json

        rows = json.loads(body)["results"]["bindings"]
        return {r["g"]["value"]: r["h"]["value"] for r in rows if "g" in r and "h" in r}

    def put(self, graph: str, data: bytes) -> None:
        lines = data.decode().splitlines()
        self._update(f"DROP SILENT GRAPH <{graph}>")
        for start in range(0, len(lines), _CHUNK):
            chunk = "\n".join(lines[start:start + _CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{chunk}\n}} }}")

    def record(self, manifest: dict[str, str], graph: str) -> None:
        value = str(ox.Literal(manifest[graph]))
        self._update(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{graph}> <{HASH}> ?h }} }} ;\n"
                     f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ <{graph}> <{HASH}> {value} }} }}")


def _manifest_ntriples(manifest: dict[str, str]) -> bytes:
    triples = [ox.Triple(ox.NamedNode(g), ox.NamedNode(HASH), ox.Literal(h)) for g, h in sorted(manifest.items())]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def remote_counts(query_url: str) -> dict[str, int] | None:
    """Triples per named graph on the remote, or None when no query endpoint answers there."""
    import json

    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    try:
        status, body = _request(query_url, "POST", urllib.parse.urlencode({"query": query}).encode(),
                                "application/x-www-form-urlencoded", "application/sparql-results+json")
        if status != 200:
            return None
        rows = json.loads(body)["results"]["bindings"]
        return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    except (StoreError, ValueError, KeyError):
        return None


def sibling_query_url(url: str) -> str:
    """The usual query endpoint next to an update or graph-store endpoint: .../update -> .../query."""
    base, _, _ = url.split("?")[0].rstrip("/").rpartition("/")
    return f"{base}/query"


def push(store: ox.Store, url: str, *, via: str = "gsp", query_url: str | None = None, force: bool = False,
         progress: Callable[[Iterable], Iterator] | None = None) -> PushReport:
    """Send every named graph of `store` that the remote lacks or holds in another version."""
    started = time.perf_counter()
    remote = GraphStore(url) if via == "gsp" else UpdateStore(url, query_url or sibling_query_url(url))
    manifest = {} if force else remote.manifest()
    counts = None if force else remote_counts(query_url or sibling_query_url(url))
    report = PushReport()
    graphs = sorted(g.value for g in store.named_graphs() if g.value != MANIFEST_GRAPH)
    last_record = time.monotonic()
    dirty = False
    try:
        for graph in (progress(graphs) if progress else graphs):
            data, digest, count = graph_ntriples(store, graph)
            if manifest.get(graph) == digest and (counts is None or counts.get(graph, 0) == count):
                report.unchanged.append(graph)
                continue
            remote.put(graph, data)
            manifest[graph] = digest
            report.pushed.append(graph)
            report.triples += count
            if isinstance(remote, UpdateStore):
                remote.record(manifest, graph)
            else:
                dirty = True
                if time.monotonic() - last_record > 2:
                    remote.record(manifest, graph)
                    dirty, last_record = False, time.monotonic()
    finally:
        if dirty:
            remote.record(manifest, "")
    report.seconds = time.perf_counter() - started
    return report
