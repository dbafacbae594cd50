"""A query worker: a separate process that owns a store handle and answers one request at a time.

pyoxigraph cannot interrupt a running query from another thread, so the server runs each query in a
worker and kills the worker when the query outlives its timeout. A read-only worker opens the store
with `Store.read_only` (which works while `gcmkg build` writes to it) and reopens it when the store's
files change, so documents added by a build become visible.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pyoxigraph as ox

from gcmkg.graph.store import open_read_only
from gcmkg.server import results

Response = tuple[int, str, bytes, dict]


def _fingerprint(path: Path) -> tuple:
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)
                            if e.is_file()))
    except OSError:
        return ()


def _text(status: int, message: str) -> Response:
    return status, "text/plain; charset=utf-8", (message.strip() + "\n").encode(), {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Worker:
    def __init__(self, path: str, writable: bool):
        self.path, self.writable = Path(path), writable
        self.store: ox.Store | None = None
        self.fingerprint: tuple = ()

    def open(self) -> ox.Store:
        fingerprint = _fingerprint(self.path)
        if self.store is None or (not self.writable and fingerprint != self.fingerprint):
            self.store = None
            self.store = ox.Store(str(self.path)) if self.writable else open_read_only(self.path)
            self.fingerprint = fingerprint
        return self.store

    def handle(self, request: dict) -> Response:
        """Answer one request; a read that collides with a build's compaction reopens the store and retries."""
        response = self._handle(request)
        for _ in range(3):
            if self.writable or response[0] != 500:
                break
            self.store = None  # the view the build just compacted away: open a fresh one
            response = self._handle(request)
        return response

    def _handle(self, request: dict) -> Response:
        try:
            store = self.open()
        except (OSError, RuntimeError) as exc:
            message = _first_line(exc)
            if "lock" in message.lower():
                return _text(503, "the store is locked by another process (a build?); try again later")
            return _text(503, f"cannot open the store: {message}")
        try:
            if request["op"] == "update":
                store.update(request["text"])
                store.flush()
                return 204, "text/plain", b"", {}
            if request["op"] == "examples":
                return self.examples(store)
            return self.query(store, request)
        except SyntaxError as exc:
            return _text(400, f"malformed SPARQL: {_first_line(exc)}")
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            return _text(400 if isinstance(exc, (ValueError, TypeError)) else 500, f"query failed: {_first_line(exc)}")

    def query(self, store: ox.Store, request: dict) -> Response:
        # The default graph is the union of all graphs, unless the query names its dataset (FROM / FROM NAMED).
        kwargs: dict = {} if _DATASET_CLAUSE.search(_strip_comments(request["text"])) else \
            {"use_default_graph_as_union": True}
        if request.get("default_graph"):
            kwargs = {"default_graph": [ox.NamedNode(g) for g in request["default_graph"]]}
        if request.get("named_graphs"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
        result = store.query(request["text"], **kwargs)
        cap, accept = request["max_rows"], request["accept"]
        headers: dict = {}
        if isinstance(result, ox.QueryBoolean):
            fmt = results.SOLUTION_TYPES[results.negotiate(accept, results.SOLUTION_TYPES) or "application/json"]
            return 200, results.SOLUTION_MEDIA[fmt], results.boolean(bool(result), fmt), headers
        if isinstance(result, ox.QuerySolutions):
            media = results.negotiate(accept, results.SOLUTION_TYPES)
            if media is None:
                return _text(406, "results can be had as " + ", ".join(results.SOLUTION_TYPES))
            fmt = results.SOLUTION_TYPES[media]
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == cap:
                    headers["X-Gcmkg-Truncated"] = f"results cut at {cap} rows"
                    break
                rows.append([solution[v] for v in variables])
            return 200, results.SOLUTION_MEDIA[fmt], results.solutions(variables, rows, fmt), headers
        media = results.negotiate(accept, results.GRAPH_TYPES)
        if media is None:
            return _text(406, "graphs can be had as " + ", ".join(results.GRAPH_TYPES))
        triples = []
        for triple in result:
            if len(triples) == cap:
                headers["X-Gcmkg-Truncated"] = f"results cut at {cap} triples"
                break
            triples.append(triple)
        fmt = results.GRAPH_TYPES[media]
        return 200, f"{fmt.media_type}; charset=utf-8", results.graph(triples, fmt), headers

    def examples(self, store: ox.Store) -> Response:
        """Each named query as runnable SPARQL, its example parameters bound (for the front page)."""
        import json

        from gcmkg.errors import GcmkgError
        from gcmkg.queries.backends import LocalBackend
        from gcmkg.queries.catalog import all_queries
        from gcmkg.queries.resolve import Resolver
        from gcmkg.queries.run import bind

        resolver = Resolver(LocalBackend(store))
        out = []
        for q in all_queries():
            params, text = _example_params(q.example), q.text
            with contextlib.suppress(GcmkgError):
                text = bind(q.text, params, resolver, {p.name: p.type for p in q.params})
            out.append({"name": q.name, "title": q.title, "question": q.question, "text": text})
        return 200, "application/json", json.dumps(out).encode(), {}


def _example_params(example: str) -> dict[str, str]:
    import shlex

    words, params = shlex.split(example), {}
    for key, value in zip(words[::2], words[1::2], strict=False):
        params[key.lstrip("-")] = value
    return params


def main(conn, path: str, writable: bool) -> None:
    """The worker's loop: receive a request, send back (status, content type, body, headers)."""
    worker = Worker(path, writable)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            response = worker.handle(request)
        except Exception as exc:  # noqa: BLE001 - a worker must answer, never die silently
            response = _text(500, f"query failed: {type(exc).__name__}")
        conn.send(response)


_DATASET_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<[^>]*>|\w*:\w*)", re.IGNORECASE)


def _strip_comments(text: str) -> str:
    """The query without comment lines, so "# select from <x>" does not count as a dataset clause."""
    return re.sub(r"(?m)^\s*#.*$", "", text)
